import copy
import pickle

from transfo_perf.membership import SHORTEST, IdentityMembers, use_identity_members


class Article:
    """Like Pelican's content objects: no __eq__, so `in` means identity."""


def test_in_answers_as_a_list_of_identities():
    a, b, outsider = Article(), Article(), Article()
    members = IdentityMembers([a, b])
    assert a in members and b in members and outsider not in members
    assert members == [a, b] and isinstance(members, list)
    members.append(outsider)
    assert outsider in members  # the set follows a list that changed
    members.remove(a)
    assert a not in members


def test_copies_and_pickles_are_made_again_from_their_items():
    members = IdentityMembers([Article(), Article()])
    copied = copy.deepcopy(members)
    assert type(copied) is IdentityMembers and copied[0] in copied and members[0] not in copied
    loaded = pickle.loads(pickle.dumps(members))
    assert loaded[1] in loaded and len(loaded) == 2


def test_the_generators_lists_and_its_context_get_the_same_items(tmp_path):
    first, second = Article(), Article()
    many = [Article() for _number in range(SHORTEST)]

    class Generator:
        tags = {"emploi": [first, second, *many], "climat": [second, *many]}
        categories = [("analyses", [first, *many])]
        authors = [("rédaction", [first, second, *many]), ("invitée", [second])]
        context = {"tags": list(tags.items())}

    Generator.context["categories"], Generator.context["authors"] = Generator.categories, Generator.authors
    use_identity_members(Generator)
    for pairs in (list(Generator.tags.items()), Generator.context["tags"], Generator.context["categories"],
                  Generator.context["authors"][:1]):
        assert all(isinstance(articles, IdentityMembers) for _name, articles in pairs)
    assert type(Generator.context["authors"][1][1]) is list  # too short to gain
    assert Generator.tags["climat"] == [second, *many] and first not in Generator.tags["climat"]
    assert Generator.context["tags"] == list(Generator.tags.items())
    assert Generator.context["authors"] == [("rédaction", [first, second, *many]), ("invitée", [second])]
