/*
 * Sets Decap CMS up for Transfo, then starts it (transfo-setup.js asked for a manual start).
 *
 * - one Pelican format per collection (pelican-format.js), knowing which fields are lists;
 * - the site's stylesheet in the preview pane;
 * - the validator's rules across fields, so that the CMS refuses to save what
 *   `invoke check` would refuse: an image without its alt text or credit (or those
 *   without an image), an end
 *   before the start, a title that gives no file name. Each rule comes from
 *   transfo-setup.js (generated from the schema);
 * - a required field holding only spaces: Decap counts it as filled, the format
 *   writes no line for it and `invoke check` finds it absent;
 * - no image replaced by an upload of the same name (see keepExistingImages);
 * - a new entry's Slug, made from its title as Pelican makes it, names its file;
 * - a new newsletter edition is named after the month it tells, the month before its send date;
 * - a new entry whose file name is taken is refused, naming the file that holds it.
 */
(function () {
  "use strict";
  var setup = window.TRANSFO_CMS;
  var CMS = window.CMS;

  /*
   * Decap asks, in English, whether an upload may replace an image of the same name, and on
   * "OK" deletes that image from content/ at once; the upload itself is only written when the
   * entry is published. An editor who then leaves loses the image, and every text using it
   * breaks. Uploads of an existing name are refused instead, with the way out.
   */
  var REPLACE_QUESTION = /^(.+) already exists\. Do you want to replace it\?$/;

  function keepExistingImages(win) {
    var ask = win.confirm.bind(win);
    win.confirm = function (message) {
      var replace = REPLACE_QUESTION.exec(String(message));
      if (!replace) return ask(message);
      win.alert("« " + replace[1] + " » existe déjà dans les images du site, et d'autres textes " +
        "l'utilisent peut-être : il n'est pas remplacé. Renommez votre fichier (par exemple en " +
        "ajoutant -2 avant l'extension), puis envoyez-le à nouveau, ou choisissez l'image existante.");
      return false;
    };
  }

  keepExistingImages(window);
  window.PelicanFormat.register(CMS, setup.formats);
  setup.previewStyles.forEach(function (href) { CMS.registerPreviewStyle(href); });

  function hasTime(value) {
    return /\d{2}:\d{2}/.test(value);
  }

  function isEmpty(value) {
    return value === undefined || value === null || String(value).trim() === "";
  }

  // Windows' reserved names: Decap's file names drop them (a title "Aux" would give ".md").
  var RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

  /* The slug Pelican makes of a title (slugify: accents and punctuation dropped, "L’été à Mons"
   * gives "lete-a-mons"), kept to what the Slug field accepts; "" for "???", "…" or "Aux", which
   * would name no file. */
  function slugOf(title) {
    var slug = String(title).normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[œŒ]/g, "oe").replace(/[æÆ]/g, "ae").replace(/ß/g, "ss").toLowerCase()
      .replace(/[^a-z0-9\s-]/g, "").replace(/[-\s]+/g, "-").replace(/^-|-$/g, "");
    return RESERVED.test(slug) ? "" : slug;
  }

  /* The French message of a broken rule, or null. */
  function broken(rule, value, entryData, labelOf) {
    if (rule.file_name && !isEmpty(value) && !slugOf(value)) {
      return "le nom du fichier est fait de ce champ ; attendu : au moins une lettre ou un chiffre " +
        "(et pas seulement « Aux », « Nul », « Con »…)";
    }
    if (rule.only_with && !isEmpty(value) && isEmpty(entryData.get(rule.only_with))) {
      return "rempli sans « " + labelOf(rule.only_with) + " » ; attendu : « " + labelOf(rule.only_with) +
        " », ou ce champ vide";
    }
    if (rule.required_with) {
      var other = entryData.get(rule.required_with);
      if (!isEmpty(other) && isEmpty(value)) {
        return "obligatoire avec « " + labelOf(rule.required_with) + " »";
      }
    }
    if (rule.not_before && !isEmpty(value)) {
      var start = entryData.get(rule.not_before);
      if (!isEmpty(start)) {
        var a = String(start).trim().replace("T", " ");
        var b = String(value).trim().replace("T", " ");
        if (hasTime(a) !== hasTime(b)) {
          return "« " + labelOf(rule.not_before) + " » et cette date doivent être toutes deux " +
            "avec une heure, ou toutes deux sans heure";
        }
        if (b < a) return "ne peut pas être antérieure à « " + labelOf(rule.not_before) + " »";
      }
    }
    return null;
  }

  /* A widget's control, also checked against the rules of its field before every save. */
  function guarded(Control) {
    return class Guarded extends Control {
      constructor(props) {
        super(props);
        var own = this.isValid; // Decap calls it unbound: keep it an own, bound function
        this.isValid = () => {
          var result = own ? own.call(this) : true;
          return result === true ? this.checkRule() : result;
        };
      }

      checkRule() {
        var props = this.props;
        var name = props.field.get("name");
        var blank = typeof props.value === "string" && props.value !== "" && isEmpty(props.value);
        if (blank && props.field.get("required") !== false) {
          return this.failure("obligatoire ; des espaces seuls ne suffisent pas");
        }
        var rule = ((setup.rules || {})[props.collection.get("name")] || {})[name];
        if (!rule) return true;
        var fields = props.collection.get("fields");
        var labelOf = function (other) {
          var found = fields.find(function (f) { return f.get("name") === other; });
          return found ? found.get("label") : other;
        };
        var entry = props.getEntry ? props.getEntry() : props.entry;
        var message = broken(rule, props.value, entry.get("data"), labelOf);
        return message ? this.failure(message) : true;
      }

      failure(message) {
        return { error: { type: "CUSTOM", message: this.props.field.get("label") + " : " + message } };
      }
    };
  }

  ["string", "datetime", "select"].forEach(function (name) {
    var widget = CMS.getWidget(name);
    if (widget) CMS.registerWidget(name, guarded(widget.control), widget.preview, widget.schema);
  });

  /*
   * A new entry named after its title gets the Slug Pelican would give it, unless one was typed;
   * config.yml names the file after the Slug. Decap's own file name differed from the site's
   * address ("l-ete.md" for "/lete/"), and the newsletter's Une, which stores a file name, then
   * named an article the site did not know.
   */
  function withSlug(data, collection) {
    var from = (setup.slugFrom || {})[collection];
    return !from || !isEmpty(data.get("slug")) ? data : data.set("slug", slugOf(data.get(from)));
  }

  /* "2019-11" for a send date in December 2019 ("2019-12-03 10:00"), or, without one, for today
   * in November or December: the month an edition tells, as `invoke new --kind lettre` names it. */
  function monthBefore(sent, today) {
    var found = /^(\d{4})-(\d{2})/.exec(String(sent || "").trim());
    var year = found ? Number(found[1]) : today.getFullYear();
    var month = found ? Number(found[2]) : today.getMonth() + 1; // 1 to 12
    if (month < 1 || month > 12) {
      year = today.getFullYear();
      month = today.getMonth() + 1;
    }
    return month === 1 ? (year - 1) + "-12" : year + "-" + String(month - 1).padStart(2, "0");
  }

  /*
   * A new newsletter edition is named after the month it tells (2019-11.md), which `invoke
   * newsletter` looks for: Decap's {{year}}-{{month}} was the month it was written in, so the
   * edition of November, written on 2 December, became December's. The month goes under a key of
   * the data that the format never writes (transient) and that the collection's slug names.
   */
  function withEditionMonth(data, collection) {
    var edition = (setup.editionMonth || {})[collection];
    if (!edition || !isEmpty(data.get(edition.key))) return data;
    return data.set(edition.key, monthBefore(edition.sent ? data.get(edition.sent) : "", new Date()));
  }

  /* The name each new entry's file should have, by collection, noted as it is saved. */
  var wantedNames = {};

  /* What names a new entry's file, set before Decap makes the file name of it. */
  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var entry = event.entry;
      var collection = entry.get("collection");
      var data = entry.get("data");
      if (!entry.get("newRecord")) return data;
      var key = (setup.namedBy || {})[collection];
      var typed = Boolean(key) && !isEmpty(data.get(key)); // typed, or copied by Decap's « Dupliquer »
      data = withEditionMonth(withSlug(data, collection), collection);
      wantedNames[collection] = { name: key ? String(data.get(key) || "") : "", typed: typed };
      return data;
    },
  });

  /* "novembre 2019" for "2019-11". */
  function monthName(edition) {
    var found = /^(\d{4})-(\d{2})$/.exec(edition);
    if (!found) return edition;
    var first = new Date(Number(found[1]), Number(found[2]) - 1, 1);
    return new Intl.DateTimeFormat("fr-BE", { month: "long", year: "numeric" }).format(first);
  }

  /* The French reason a new entry is not saved under `path`, or null. */
  function takenName(collection, path) {
    var noted = wantedNames[collection] || {};
    var wanted = noted.name;
    var file = /^(.*\/)?([^/]+)\.md$/.exec(path);
    if (!wanted || !file || file[2].indexOf(wanted + "-") !== 0 || !/^-\d+$/.test(file[2].slice(wanted.length))) {
      return null;
    }
    var holder = (file[1] || "") + wanted + ".md";
    if ((setup.editionMonth || {})[collection]) {
      return "une édition de " + monthName(wanted) + " existe déjà (" + holder + ") ; attendu : " +
        "ouvrez-la dans la liste pour la modifier, ou corrigez la date d'envoi de celle-ci.";
    }
    return "un autre texte porte déjà le nom « " + wanted + " » (" + holder + ") ; attendu : " +
      (noted.typed ? "" : "un autre titre, ou ") + "une autre adresse dans le champ « Adresse (slug) ».";
  }

  /*
   * Decap saves a new entry whose file name is taken under that name with "-1" appended
   * (2019-11-1.md, lete-a-mons-1.md), without a word; the site then refuses it: two editions of
   * one month, two texts at one address. The save is refused instead: the editor keeps the form
   * as typed and reads why. Each backend's saves go through it (decap-server's is "proxy").
   */
  function refusingTakenNames(implementation) {
    var persist = implementation.persistEntry;
    implementation.persistEntry = function (entry, options) {
      var reason = options && options.newEntry ? takenName(options.collectionName, entry.dataFiles[0].path) : null;
      if (!reason) return persist.apply(this, arguments);
      var error = new Error(reason);
      error.name = ""; // Decap shows String(error): the message alone
      return Promise.reject(error);
    };
    return implementation;
  }

  (setup.backends || []).forEach(function (name) {
    var backend = CMS.getBackend(name);
    if (!backend) return;
    var init = backend.init;
    backend.init = function () {
      return refusingTakenNames(init.apply(this, arguments));
    };
  });

  CMS.init();
})();
