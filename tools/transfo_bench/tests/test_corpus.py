import random

from transfo_bench import prose
from transfo_bench.corpus import CorpusSpec, generate
from transfo_validation.frontmatter import parse


def _spec(**changes):
    return CorpusSpec(**{"n": 12, "image_share": 0.3, "image_size": (64, 48), **changes})


def test_same_seed_same_bytes(tmp_path):
    first = generate(_spec(), tmp_path / "a")
    second = generate(_spec(), tmp_path / "b")
    assert first.digest() == second.digest()
    assert generate(_spec(seed=7), tmp_path / "c").digest() != first.digest()


def test_articles_carry_the_core_fields_and_real_prose(tmp_path):
    corpus = generate(_spec(), tmp_path / "content")
    assert len(corpus.articles) == 12 and corpus.images
    rubrics = set()
    for path in corpus.articles:
        doc = parse(path.read_text(encoding="utf-8"))
        assert {"title", "date", "category", "tags", "authors", "summary"} <= set(doc.fields)
        assert len(doc.fields["title"]) <= 160 and len(doc.fields["summary"]) <= 500
        if "image" in doc.fields:
            assert (corpus.root / doc.fields["image"]).is_file() and "image_alt" in doc.fields
        assert "## " in doc.body and "\n- " in doc.body
        rubrics.add(doc.fields["category"])
    assert rubrics <= {"Actualités", "Analyses", "Portraits", "Dossiers"}


def test_dates_span_the_years_in_order(tmp_path):
    corpus = generate(_spec(n=60, image_share=0.0), tmp_path / "content")
    years = sorted({path.parent.name for path in corpus.articles})
    assert len(years) > 5 and years[0] >= "2004" and years[-1] <= "2019"


def test_titles_get_unique_slugs(tmp_path):
    corpus = generate(_spec(n=200, image_share=0.0), tmp_path / "content")
    assert len({path.stem for path in corpus.articles}) == 200


def test_body_is_long_enough_to_parse_like_a_real_article():
    words = len(prose.body(random.Random(1), ["/articles/2019/x.md"]).split())
    assert 300 < words < 2000
