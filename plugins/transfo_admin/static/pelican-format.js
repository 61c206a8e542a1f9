/*
 * Pelican's `Key: value` metadata as a Decap CMS format.
 *
 * A content file is a header of `Key: value` lines (keys indented by up to three spaces,
 * continuation lines by four columns, a tab counting as four), a blank line, then the Markdown body: the format of
 * Python-Markdown's `meta` extension, read by plugins/transfo_validation/frontmatter.py.
 *
 * fromFile keeps the file's own text beside the values (under RAW_KEY), and
 * toFile writes every field whose value did not change exactly as it was read:
 * opening and saving a file without changes gives back the same bytes (order
 * of the fields, spelling of the keys, empty fields, continuation lines, CRLF,
 * byte order mark, fields the CMS does not know, final newline).
 *
 * Loaded by the admin page (window.PelicanFormat) and by the tests (require()).
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.PelicanFormat = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var RAW_KEY = "__pelican_source";
  var BODY_KEY = "body";

  /* Lines with their own line ending, so that the text can be put back byte for byte. */
  function splitLines(text) {
    var lines = [];
    var pattern = /\r\n|\n|\r/g;
    var start = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      lines.push({ text: text.slice(start, match.index), end: match[0] });
      start = match.index + match[0].length;
    }
    if (start < text.length) lines.push({ text: text.slice(start), end: "" });
    return lines;
  }

  function joinLines(lines) {
    return lines.map(function (line) { return line.text + line.end; }).join("");
  }

  /* Python's str.expandtabs(4): each tab up to the next multiple of four columns. */
  function expandTabs(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var char = text.charAt(i);
      out += char === "\t" ? " ".repeat(4 - (out.length % 4)) : char;
    }
    return out;
  }

  /*
   * Lines as the validator reads them (frontmatter.py, after Markdown), in Python's terms:
   * - its whitespace (str.strip, \\s): JavaScript's also holds U+FEFF and lacks U+001C-U+001F, U+0085;
   * - a key indented by up to three spaces; a continuation by four columns or more once tabs are
   *   expanded to 4;
   * - [^] and not ".": a value may hold U+2028 or U+2029 (pasted text), where "." stops in
   *   JavaScript and not in Python.
   */
  var PY_SPACE = "[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  var PY_STRIP = new RegExp("^" + PY_SPACE + "+|" + PY_SPACE + "+$", "g");
  var KEY_LINE = new RegExp("^ {0,3}([A-Za-z0-9_-]+)" + PY_SPACE + "*:" + PY_SPACE + "?([^]*)$");
  var CONTINUATION = /^ {4,}([^]*)$/;

  function strip(text) {
    return text.replace(PY_STRIP, "");
  }

  function isBlank(text) {
    return strip(text) === "";
  }

  /* The header's entries (a field with its continuation lines, or a line that is not a field) and the body. */
  function parse(text) {
    var bom = text.charAt(0) === "\ufeff" ? "\ufeff" : "";
    var lines = splitLines(text.slice(bom.length));
    var eol = lines.length && lines[0].end ? lines[0].end : "\n";
    if (!lines.length || !KEY_LINE.test(lines[0].text)) {
      return { bom: bom, eol: eol, entries: [], separator: null, body: text.slice(bom.length) };
    }
    var entries = [];
    var current = null;
    var index = 0;
    for (; index < lines.length && !isBlank(lines[index].text); index++) {
      var line = lines[index];
      var continuation = CONTINUATION.exec(expandTabs(line.text));
      if (continuation && current) {
        current.value += " " + strip(continuation[1]);
        current.lines.push(line);
        continue;
      }
      var match = KEY_LINE.exec(line.text);
      current = match ? { key: match[1], value: strip(match[2]), lines: [line] } : null;
      entries.push(current || { key: null, value: "", lines: [line] });
    }
    var separator = index < lines.length ? joinLines([lines[index]]) : null;
    return {
      bom: bom,
      eol: eol,
      entries: entries.map(function (entry) {
        return { key: entry.key, value: entry.value, raw: joinLines(entry.lines) };
      }),
      separator: separator,
      body: joinLines(lines.slice(index + 1)),
    };
  }

  /*
   * A file saved in Latin-1 or Windows-1252 reaches the browser with U+FFFD in place of each
   * accented letter (decap-server reads UTF-8): saving it would write those for good, in every
   * line, edited or not. `invoke check` names such a file; it is refused here.
   */
  var NOT_UTF8 = "ce fichier n'est pas enregistré en UTF-8 : ses lettres accentuées s'affichent « \ufffd » " +
    "et l'enregistrer ici les perdrait ; attendu : le fichier converti en UTF-8 dans votre éditeur de " +
    "texte (invoke check le signale), puis rouvert ici";

  function isMisread(parsed) {
    return parsed.entries.some(function (entry) { return entry.raw.indexOf("\ufffd") >= 0; }) ||
      parsed.body.indexOf("\ufffd") >= 0;
  }

  function toLF(text) {
    return text.replace(/\r\n|\r/g, "\n");
  }

  /* Comma-separated, or semicolon-separated when an item holds a comma (as TextList reads it). */
  function splitList(value) {
    if (!strip(value)) return [];
    var separator = value.indexOf(";") >= 0 ? ";" : ",";
    return value.split(separator).map(strip);
  }

  function isEmpty(value) {
    if (value === undefined || value === null) return true;
    if (Array.isArray(value)) return value.length === 0;
    return String(value).trim() === "";
  }

  /* A value as one header line writes it. */
  function formatValue(value) {
    if (value === undefined || value === null) return "";
    if (Array.isArray(value)) {
      var items = value.map(function (item) { return String(item).trim(); });
      var hasComma = items.some(function (item) { return item.indexOf(",") >= 0; });
      return items.join(hasComma ? "; " : ", ");
    }
    return String(value).replace(/\s*[\r\n]+\s*/g, " ").trim();
  }

  function endLine(text, eol) {
    return text && !/(\r\n|\n|\r)$/.test(text) ? text + eol : text;
  }

  function displayKey(name) {
    return name.charAt(0).toUpperCase() + name.slice(1);
  }

  /*
   * options.lists: the fields (lower case) whose value is a list (Tags, Authors...);
   * options.transient: keys of an entry's data that name its file and are never written into it.
   */
  function pelicanFormat(options) {
    var lists = (options && options.lists) || [];
    var transient = (options && options.transient) || [];

    function valueOf(name, text) {
      return lists.indexOf(name) >= 0 ? splitList(text) : text;
    }

    function fromFile(text) {
      var parsed = parse(text);
      var data = {};
      parsed.entries.forEach(function (entry) {
        if (entry.key !== null) data[entry.key.toLowerCase()] = valueOf(entry.key.toLowerCase(), entry.value);
      });
      data[BODY_KEY] = toLF(parsed.body);
      data[RAW_KEY] = JSON.stringify(parsed);
      return data;
    }

    function toFile(data, sortedKeys) {
      var source = data[RAW_KEY] ? JSON.parse(data[RAW_KEY]) : null;
      if (source && isMisread(source)) throw new Error(NOT_UTF8);
      var eol = source ? source.eol : "\n";
      var header = "";
      var written = {};
      var lastValue = {};
      if (source) {
        source.entries.forEach(function (entry) {
          if (entry.key !== null) lastValue[entry.key.toLowerCase()] = entry.value;
        });
        source.entries.forEach(function (entry) {
          if (entry.key === null) {
            header += entry.raw;
            return;
          }
          var name = entry.key.toLowerCase();
          if (written[name] || entry.value !== lastValue[name]) {
            header += entry.raw; // a repeated key: kept as typed, the validator names it
            return;
          }
          written[name] = true;
          var value = data[name];
          if (formatValue(value) === formatValue(valueOf(name, entry.value))) {
            header += entry.raw;
          } else if (!isEmpty(value)) {
            header += entry.key + ": " + formatValue(value) + eol;
          }
        });
      }
      var names = (sortedKeys || []).concat(Object.keys(data));
      names.forEach(function (name) {
        if (name === BODY_KEY || name === RAW_KEY || written[name] || isEmpty(data[name]) ||
            transient.indexOf(name) >= 0) return;
        written[name] = true;
        header = endLine(header, eol) + displayKey(name) + ": " + formatValue(data[name]) + eol;
      });
      var body = data[BODY_KEY] === undefined || data[BODY_KEY] === null ? "" : String(data[BODY_KEY]);
      if (source && body === toLF(source.body)) {
        body = source.body;
      } else {
        body = body.replace(/\r\n|\r|\n/g, eol);
        var endsWithEol = source ? /(\r\n|\n|\r)$/.test(source.body) || !source.body : true;
        if (endsWithEol && body && !/(\r\n|\n|\r)$/.test(body)) body += eol;
      }
      var bom = source ? source.bom : "";
      if (!header) return bom + body;
      if (source && source.separator !== null) return bom + header + source.separator + body;
      return body ? bom + endLine(header, eol) + eol + body : bom + header;
    }

    return { fromFile: fromFile, toFile: toFile };
  }

  /* Register one format per kind of content: formats maps a format name to its options. */
  function register(CMS, formats) {
    Object.keys(formats).forEach(function (name) {
      CMS.registerCustomFormat(name, "md", pelicanFormat(formats[name]));
    });
  }

  return { pelicanFormat: pelicanFormat, register: register, parse: parse, RAW_KEY: RAW_KEY };
});
