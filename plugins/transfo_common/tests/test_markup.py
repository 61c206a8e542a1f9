import pytest
from transfo_common.markup import DEFAULT_EMBED_HOSTS, EmbedHostsError, embed_hosts, unsafe_markup


def lines_and_starts(html, **options):
    return [(finding.line, finding.message.split(" ;")[0]) for finding in unsafe_markup(html, **options)]


def test_each_unsafe_construct_is_found_on_its_line():
    html = "\n".join([
        "<p>ok</p>",
        '<img src="a.jpg" alt="" OnError="x()">',
        '<a href="  JaVa\tScRiPt:alert(1)">x</a>',
        "<script src=\"https://cdn.example/x.js\"></script>",
        '<iframe src="https://www.youtube.com/embed/x"></iframe>',
        '<embed src="https://evil.example/a">',
        '<object data="data:text/html;base64,PHNjcmlwdD4="></object>',
        '<img src="b.jpg">',
        '<svg><a xlink:href="javascript:x()">y</a></svg>',
    ])
    assert lines_and_starts(html) == [
        (2, "attribut « onerror » sur <img>"),
        (3, "adresse «   JaVa\\u0009ScRiPt:alert(1) » dans <a href>"),
        (4, "élément <script>"),
        (5, "<iframe> de « https://www.youtube.com/embed/x »"),
        (6, "<embed> de « https://evil.example/a »"),
        (7, "adresse « data:text/html;base64,PHNjcmlwdD4= » dans <object data>"),
        (7, "<object> de « data:text/html;base64,PHNjcmlwdD4= »"),
        (8, "<img src=\"b.jpg\"> sans texte alternatif"),
        (9, "élément <svg>"),
        (9, "adresse « javascript:x() » dans <a xlink:href>"),
    ]


def test_what_a_browser_reads_unlike_this_parser_is_found_on_its_line():
    """tests/hostile/test_parser_differential.py shows with Chromium why each is refused."""
    html = "\n".join([
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
        '<iframe src="https://www.youtube-nocookie.com/embed/x" title="v">Voir la vidéo</iframe>',
        "<!--><img src=x onerror=alert(1)>-->",
        "<![CDATA[><img src=x onerror=alert(1)>]]>",
        '<style>p { display: none }</style><link rel="stylesheet" href="https://evil.example/x.css">',
        "<!-- une note pour la rédaction -->",
    ])
    assert lines_and_starts(html) == [
        (1, "élément <noscript>"),
        (2, "contenu dans <iframe>"),
        (3, "commentaire <!-- … --> que le navigateur ferme plus tôt (« <!--> », « <!---> » ou « --!> »)"),
        (4, "section « <![CDATA[><img src=x o… »"),
        (5, "élément <style>"),
        (5, "élément <link>"),
    ]


def test_a_built_page_keeps_the_elements_its_theme_writes():
    page = ('<title>Transfo</title><link rel="stylesheet" href="/theme/css/site.css">'
            '<noscript><p>Sans JavaScript</p></noscript><svg aria-hidden="true"><use href="#icone"></use></svg>')
    assert unsafe_markup(page, own_script=lambda attributes: False) == []
    assert [f.message.split(" ;")[0] for f in unsafe_markup(page)] == [
        "élément <title>", "élément <link>", "élément <noscript>", "élément <svg>"]


def test_what_writes_a_frame_s_document_or_sends_the_reader_elsewhere_is_found():
    html = "\n".join([
        '<iframe srcdoc="<script>alert(1)</script>" src="https://www.youtube-nocookie.com/embed/x"></iframe>',
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        '<base href="https://evil.example/">',
        '<meta name="description" content="une description">',
    ])
    assert lines_and_starts(html) == [
        (1, "attribut « srcdoc » sur <iframe>"),
        (2, 'élément <meta http-equiv="refresh">'),
        (3, "élément <base>"),
    ]


def test_allowed_frames_own_scripts_and_text_pass():
    html = ("<p>3 &lt; 5 &amp; R&amp;D</p>"
            + "".join(f'<iframe src="https://{host}/x" title="t"></iframe>' for host in DEFAULT_EMBED_HOSTS)
            + '<script type="application/ld+json">{"a": "</p><img src=x onerror=y>"}</script>'
            + '<script type="module" src="/static/js/search.js"></script>')
    own = lambda attributes: attributes.get("type") == "application/ld+json" or \
        attributes.get("src", "").startswith("/static/")  # noqa: E731
    assert unsafe_markup(html, own_script=own) == []
    assert [f.message.split(" ;")[0] for f in unsafe_markup(html)] == ["élément <script>"] * 2


def test_frames_need_https_and_a_listed_host():
    assert unsafe_markup('<iframe src="http://player.vimeo.com/x"></iframe>')
    assert unsafe_markup('<iframe src="https://player.vimeo.com.evil.example/x"></iframe>')
    assert unsafe_markup("<iframe></iframe>")[0].message.startswith("<iframe> de « adresse absente »")
    assert not unsafe_markup('<iframe src="https://a.example/x"></iframe>', hosts=("a.example",))


def test_embed_hosts_setting_has_a_default_and_is_checked():
    assert embed_hosts({}) == DEFAULT_EMBED_HOSTS
    assert embed_hosts({"TRANSFO_EMBED_HOSTS": ["a.example"]}) == ("a.example",)
    for wrong in ("a.example", ["https://a.example"], [3]):
        with pytest.raises(EmbedHostsError,
                           match="^Réglage TRANSFO_EMBED_HOSTS : trouvé .* ; attendu : une liste de noms d’hôtes"):
            embed_hosts({"TRANSFO_EMBED_HOSTS": wrong})
