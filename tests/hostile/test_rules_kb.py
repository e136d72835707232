"""The lookup API and the operator CLI under hostile input. make_profile + evaluate: a ProfileError or an answer
whose every figure is in the KB YAML; resolve_place, search_facts, find_facts, lookup_item: never fail; the CLI:
exit 0-3 with a one-line error, valid JSON with --json.

Why checking figures this way is sound: the engine states three kinds of amount. (1) A part's amount is one
tier's `amount`, or for the 枣庄 centenarian the sum of the tier's `components`, each plus its
`plus_per_year_over_100` times the years over 100 -- check_answer recomputes that set from the raw YAML (not
from the engine's model) and requires the part's amount to be in it, and the shares named in its detail to be
the components. (2) An item's amount is the sum of its 元 parts, (3) the monthly total the sum of the items'
amounts -- both recomputed. The rendered text may then state only numbers written in the city's YAML or these
derived sums."""

import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from rules_kb import default_kb, evaluate, make_profile
from tests.support.hostile import corpus, oracles
from tests.support.hostile.strategies import short_text, texts

KB = default_kb()
STATUS_WORDS = sorted(KB.regions.status_words)
places = st.one_of(
    st.sampled_from(sorted(KB.regions.city_aliases) + sorted(KB.regions.county_city)),
    st.sampled_from(corpus.kb_words()),
    short_text,
    st.sampled_from(["", " ", "枣庄 ", " 滕州", "ZAOZHUANG", "Jining", "枣 庄", "棗莊", "枣庄市市中区"]),
)
ages = st.one_of(
    st.none(),
    st.integers(-5, 140),
    st.integers(),
    st.sampled_from([True, False, 85.0, "85", 85.5]),
    st.sampled_from([59, 60, 64, 65, 79, 80, 89, 90, 99, 100, 101, 102, 110, 130, 131]),
)
grades = st.one_of(st.none(), st.integers(-2, 6), st.integers())
statuses = st.lists(st.one_of(st.sampled_from(STATUS_WORDS), short_text), max_size=5)


@given(places, ages, statuses, statuses, grades, grades)
@example("枣庄", 85, ["低保"], [], None, None)
@example("滕州", 130, ["五保户"], [], 3, 1)
@example("枣庄", 101, ["失独"], [], 2, None)
@example("济宁", 85, ["低保"], ["经济困难"], None, None)
def test_any_profile_is_an_answer_from_the_kb_or_a_profile_error(
    place, age, statuses, not_statuses, ability, disability
):
    oracles.check_profile(place, age, statuses, not_statuses, ability, disability)


@pytest.mark.slow  # 2,358 profiles a city, 5 s in all; test_any_profile_… checks the same on sampled profiles
@pytest.mark.parametrize("city", sorted(KB.cities))
def test_every_age_status_and_grade_of_each_city_states_only_kb_figures(city):
    """Exhaustive over what matters to the amounts: every age 0-130 with each economic status and grade."""
    for age in range(0, 131):
        for statuses in ((), ("低保",), ("特困",), ("失独",), ("独生子女伤残",), ("低保", "失独")):
            for ability in (None, 2, 4):
                oracles.check_profile(city, age, statuses, (), ability, None)


def test_the_centenarian_increment_is_checked_against_the_components():
    answer = evaluate(KB, make_profile(KB, "枣庄", 102))
    (part,) = [p for e in answer.items if e.name == "高龄津贴" for p in e.parts]
    assert part.amount == 520 and part.amount in corpus.tier_amounts(
        corpus.yaml_tiers()[("枣庄", "高龄津贴", "高龄津贴")][2], 102
    )
    oracles.check_answer(answer)


@given(st.one_of(places, texts))
def test_any_place_resolves_or_is_a_profile_error(text):
    oracles.check_resolve_place(text)


@given(
    st.one_of(texts, st.sampled_from(corpus.kb_words())),
    st.one_of(st.none(), st.sampled_from(KB.cities)),
    st.integers(-3, 20),
)
@example("长期护理保险", "济宁", 5)
@example("养老" * 5000, None, 5)
def test_any_question_searches_facts_and_items(text, city, limit):
    oracles.check_search(text, city, limit)


# --------------------------------------------------------------------------------------------------- CLI

argv_values = st.one_of(
    st.sampled_from(
        [
            "枣庄",
            "滕州",
            "85",
            "-5",
            "1e3",
            "٣",
            "５",
            "1_0",
            "",
            " ",
            "--json",
            "低保",
            "五保户",
            "长期护理保险",
            "高龄津贴",
            "-",
            "--",
            "-h",
            "nowhere",
        ]
    ),
    st.integers(-(10**6), 10**30).map(str),
    short_text,
)
options = st.sampled_from(
    [
        "--city",
        "--age",
        "--status",
        "--not-status",
        "--ability-grade",
        "--disability-grade",
        "--json",
        "--kb",
        "--help",
        "--bogus",
        "-x",
    ]
)


@st.composite
def argvs(draw):
    argv = [draw(st.sampled_from(["lookup", "facts", "item", "check", "", "LOOKUP", "--kb"]))]
    for _ in range(draw(st.integers(0, 8))):
        argv.append(draw(options))
        if draw(st.booleans()):
            argv.append(draw(argv_values))
    if draw(st.integers(0, 3)) == 0:
        argv = draw(st.permutations(argv))
    if "--kb" in argv:  # the KB folder: an existing, a missing, a file, a folder without a KB
        i = argv.index("--kb")
        argv[i + 1 : i + 2] = [
            draw(
                st.sampled_from(
                    [
                        str(corpus.KB_DIR),
                        "/nonexistent",
                        str(corpus.ROOT / "README.md"),
                        str(corpus.KB_DIR / "cities"),
                        "",
                    ]
                )
            )
        ]
    return argv


@given(argvs())
@example(["lookup", "--city", "枣庄", "--age", "85", "--status", "低保", "--json"])
@example(["lookup", "--city", "枣\n庄"])  # an error message that quotes the input stays one line
@example(["lookup", "--city", "枣庄", "--age", "九\n十"])
@example(["facts", "长期护理保险", "--city", "济宁", "--json"])
@example(["item", "高龄津贴", "--city", "滕州"])
def test_any_command_line_exits_0_to_3_with_a_one_line_error(argv):
    oracles.check_cli(argv)


def test_cli_json_is_the_answer():
    status, out, _ = oracles.run_cli(["lookup", "--city", "枣庄", "--age", "85", "--status", "低保", "--json"])
    assert status == 0 and json.loads(out)["monthly_total_yuan"] == 130
