"""The "not found" gate's word check (:mod:`index.notfound`): a question word the best
sentence, its context and its title all leave out lowers the confidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.embedder import Embedder
from index.library import Library
from index.loaders import load_inputs
from index.models import ReportDraft
from index.notfound import Confidence, counted_words, missing_words, object_words
from index.qtype import said_verb
from index.retrieve import Candidate
from tests.conftest import SAMPLES, samples_and


def test_a_plural_of_a_short_word_is_not_missing(library: Library) -> None:
    """Seen on Reuters wires: "when will ana's a320s be delivered" was answered "not found"
    because "a320s" (and "cars", "jobs", "ships": any plural of a word of four letters or
    fewer) did not match the singular in the report by its first five letters."""
    library.ingest([ReportDraft(
        title="Nordair orders ten A320 jets", date="2026-04-01", source="Wire",
        report_id="nordair",
        text="Nordair said the ten planes will be delivered between May 2027 and June 2028. "
             "Each ship and car ferry of its sister company stays in service.")])
    first, second = library.store.report_sentences("nordair")
    top = Candidate(first, dense=0.5, lexical=1.0, score=1.0)
    assert missing_words("when will nordair's a320s be delivered", top,
                         "Nordair orders ten A320 jets", library.store) == (0, 0)
    ferry = Candidate(second, dense=0.5, lexical=1.0, score=1.0)
    assert missing_words("how many ships and cars", ferry, "", library.store) == (0, 0)
    # a word no report holds still counts
    assert missing_words("how many trams", ferry, "", library.store) == (1, 0)


def test_an_irregular_form_of_a_word_is_not_missing(library: Library) -> None:
    """Tried as a new user would: "when did the talks break down?" was "Nothing in the
    reports answers that", though a report says the dock workers struck "after talks on a
    new pay deal broke down": no report held "break", so it counted as a name none knows."""
    library.ingest([ReportDraft(
        title="Dock workers walk out", date="2026-03-05", source="Wire", report_id="strike",
        text="Dock workers went on strike on Thursday after talks on a new pay deal broke "
             "down. The river rose two metres.")])
    struck, rose = library.store.report_sentences("strike")
    top = Candidate(struck, dense=0.5, lexical=1.0, score=1.0)
    assert missing_words("when did the talks break down?", top, "", library.store) == (0, 0)
    assert missing_words("why did the workers strike?", top, "", library.store) == (0, 0)
    library.ingest([ReportDraft(title="Union", date="2026-03-06", source="Wire",
                                report_id="union", text="Union leader Joao Pereira spoke.")])
    (leader,) = library.store.report_sentences("union")
    assert missing_words("who leads the union?", Candidate(leader, dense=0.5, lexical=1.0,
                                                          score=1.0), "", library.store) == (0, 0)
    other = Candidate(rose, dense=0.5, lexical=1.0, score=1.0)
    assert missing_words("did the river rise?", other, "", library.store) == (0, 0)
    assert missing_words("how many ferries sank?", other, "", library.store) == (2, 0)
    library.ingest([ReportDraft(title="Aid", date="2026-03-06", source="Wire",
                                report_id="aid", text="Aid groups brought water by truck.")])
    # not in the sentence's report, but in the library as another form: not unknown
    assert missing_words("did the river bring water?", other, "", library.store) == (0, 0)


def test_an_age_a_death_and_the_last_hours_are_said_in_other_words(library: Library) -> None:
    """Tried as a new user would: "age of the shepherd who died" was "not found" beside "The
    fire has killed a 74-year-old shepherd" (no report said "age" or "died"), and "new
    cases in the last 24h" beside "119 new cases in the previous 24 hours" ("last")."""
    library.ingest([ReportDraft(
        title="Fire kills shepherd", date="2026-03-05", source="Wire", report_id="fire",
        text="The fire has killed a 74-year-old shepherd. The ministry reported 119 new "
             "cases in the previous 24 hours.")])
    killed, cases = library.store.report_sentences("fire")
    top = Candidate(killed, dense=0.5, lexical=1.0, score=1.0)
    assert missing_words("age of the shepherd who died", top, "", library.store) == (0, 0)
    assert missing_words("age of the shepherd's dog", top, "", library.store) == (1, 0)
    new = Candidate(cases, dense=0.5, lexical=1.0, score=1.0)
    assert missing_words("new cases in the last 24h", new, "", library.store) == (0, 0)
    # "how big was the rate hike?": a size asked, which the figure says ("big" is no word
    # a report need hold)
    assert missing_words("how big was the cases jump", new, "", library.store)[0] == 1  # jump


def test_a_word_of_the_sentences_own_report_is_not_missing(library: Library) -> None:
    """"The 10 planes will be delivered ..." answers "when will the a320s be delivered": the
    report names the A320 in another sentence. A word of another report still counts."""
    library.ingest([
        ReportDraft(title="Airbus signs Japanese contract", date="2026-04-01", source="Wire",
                    report_id="airbus",
                    text="Airbus signed a contract to sell ten A320 jets to Kansai Air. The "
                         "ten planes will be delivered between May 2027 and June 2028."),
        ReportDraft(title="Ferry strike", date="2026-04-01", source="Wire", report_id="ferry",
                    text="Ferry crews in Varden went on strike on Monday.")])
    planes = Candidate(library.store.report_sentences("airbus")[1], dense=0.5, lexical=1.0,
                       score=1.0)
    every_word_rare = Confidence(rare_per_10k=10_000)
    assert missing_words("when will kansai's a320s be delivered", planes, "", library.store,
                         every_word_rare) == (0, 0)
    assert missing_words("when will the varden ferries be delivered", planes, "",
                         library.store, every_word_rare) == (0, 2)


def test_what_a_questions_prepositions_point_at() -> None:
    from index.notfound import object_words

    assert object_words("how many died on the ferry?") == {"ferry"}
    assert object_words("who is the new CEO of Zentrax Microsystems?") == {
        "zentrax", "microsystems"}
    assert object_words("how many were displaced in total last week?") == set()
    assert object_words("In what year did the dam open?") == set()  # a wh-word, no object
    # only an object that ends the question: "hold" is the verb, not part of the object
    assert object_words("did the dam at Orrin hold after the storm?") == set()


def test_a_typo_is_near_a_known_word_but_a_name_sharing_four_letters_is_not(
        library: Library) -> None:
    """"frensh" is likely "french" mistyped; "halvorsen" is no form of "halved" although
    both begin "halv": a question about Halvorsen Marine asks about no report."""
    from index.notfound import _near_a_known_word

    library.ingest([ReportDraft(
        title="Wheat exports", date="2026-04-01", source="Wire", report_id="wheat",
        text="French wheat exports halved in March. Shipments to Egypt fell.")])
    assert _near_a_known_word(library.store, "frensh")
    assert _near_a_known_word(library.store, "shipmints")
    assert not _near_a_known_word(library.store, "halvorsen")
    assert not _near_a_known_word(library.store, "egyptology")


def test_a_huge_word_is_never_compared_letter_by_letter(library: Library,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Bad input: a question made of one 4,000-letter word would have been compared with up
    to 300 terms letter by letter (seconds of CPU); it is taken as written."""
    from index.notfound import _near_a_known_word

    library.ingest([ReportDraft(title="Wheat", date="2026-04-01", source="Wire",
                                report_id="w", text="French wheat exports halved.")])
    looked: list[str] = []
    real = library.store.terms_starting
    monkeypatch.setattr(library.store, "terms_starting",
                        lambda prefix, limit: looked.append(prefix) or real(prefix, limit))
    assert not _near_a_known_word(library.store, "f" + "r" * 3999)
    assert looked == []
    assert _near_a_known_word(library.store, "frensh") and looked == ["fren"]


@pytest.mark.parametrize(("question", "first"), [
    # tried as a new user would: "Nothing in the reports answers that", though a report
    # says what the union is asking for
    ("what does the union want?", ("The Calder Dockworkers Union is asking for a 9% rise",
                                   "Union leader Joao Pereira said the 1,200 striking workers "
                                   "would not return until the authority improved")),
    ("What did the mayor of Dorvik say?", ("\"The water rose faster than in 2019,\"",)),
    ("what does the pope want?", ()),
    ("what did the pope say in his easter message?", ()),
])
def test_what_someone_says_or_wants_is_answered_when_a_sentence_names_them(
        real_sample_dir: Path, real_embedder: Embedder, question: str, first: tuple[str, ...]
) -> None:
    with Library(real_sample_dir, real_embedder) as lib:
        answer = lib.ask(question)
    assert answer.found == bool(first)
    assert not first or answer.citations[0].sentence.startswith(first)


def test_the_verb_of_what_someone_said_or_wants() -> None:
    assert said_verb("what does the union want?") == "want"
    assert said_verb("What did the mayor of Dorvik SAY?") == "say"
    assert said_verb("what does the union ask for?") is None
    assert said_verb("") is None


TARSK = ReportDraft(
    title="Earthquake strikes Tarsk", date="2026-03-06", source="Coastal Wire",
    text="An earthquake of magnitude 5.8 struck the mountain town of Tarsk on Friday. At "
         "least 8 people were killed and dozens of houses collapsed, the regional governor "
         "said.")


@pytest.fixture(scope="module")
def with_tarsk(tmp_path_factory: pytest.TempPathFactory, real_embedder: Embedder) -> Library:
    lib = Library(tmp_path_factory.mktemp("tarsk"), real_embedder)
    lib.ingest([*load_inputs([str(SAMPLES)]), TARSK])
    return lib


@pytest.mark.parametrize(("question", "found"), [
    # tried as a new user would: each was answered from the floods' reports
    ("how many people died in the port strike?", False),
    ("what is the death toll in the port strike?", False),
    # ... what the question is about, in the answering report: answered as before
    ("how many people died in the floods?", True),
    ("how many people were killed in Tarsk?", True),
    ("who is the mayor of Dorvik?", True),
])
def test_a_question_about_another_story_is_not_answered_from_this_one(
        with_tarsk: Library, question: str, found: bool) -> None:
    assert with_tarsk.ask(question).found is found


def test_a_quote_from_another_story_is_not_set_beside_the_answer(with_tarsk: Library
                                                                 ) -> None:
    """Tried as a new user would: "who is the mayor of tarsk?" quoted Ilse Brandt, "the mayor
    of Dorvik", as if she were Tarsk's."""
    answer = with_tarsk.ask("who is the mayor of tarsk?")
    assert not any("Dorvik" in q.text for q in answer.quotes)


@pytest.fixture(scope="module")
def samples_int8(tmp_path_factory: pytest.TempPathFactory, int8_embedder: Embedder) -> Library:
    """The sample reports with the default embedder, as `briefbot ask` reads them."""
    return samples_and(tmp_path_factory.mktemp("int8"), int8_embedder)


@pytest.mark.parametrize(("question", "found"), [
    # tried as a new user would: "About 1,200 dock workers ... went on strike" was the
    # answer, its 1,200 in bold as if the strike's dead
    ("how many people died in the port strike?", False),
    # ... and the floods' toll (of people) answered for children, whom no report mentions
    ("how many children died?", False),
    ("how many people died?", True),
    ("how many dock workers are on strike?", True),
    ("how many ships are waiting?", True),
])
def test_a_count_of_others_is_not_the_count_asked(samples_int8: Library, question: str,
                                                  found: bool) -> None:
    assert samples_int8.ask(question).found is found


def test_what_a_question_counts() -> None:
    assert counted_words("how many children died?") == {"children"}
    assert counted_words("How many more ships are waiting?") == {"ships"}
    assert counted_words("how many people died?") == set()
    assert counted_words("how many were killed?") == set()
    assert counted_words("how many casualties were there") == set()
    assert counted_words("what is the death toll?") == set()


PROTEST = ReportDraft(
    title="Crowds rally in Selby as Moran demands recount", date="2026-03-06",
    source="Coastal Wire",
    text="About 2,000 supporters of Ana Moran gathered outside the electoral office in Selby "
         "on Friday. Twelve people were arrested when police cleared the square.")


def test_a_figure_of_another_story_named_in_its_text_is_not_the_answer(
        tmp_path: Path, int8_embedder: Embedder) -> None:
    """Tried as a new user would: "how many died in the election protests?" quoted the
    floods' toll. No report on the floods names an election or a protest; the rally's report
    names both (in its text, not its headline)."""
    lib = samples_and(tmp_path, int8_embedder, PROTEST)
    assert not lib.ask("how many died in the election protests?").found
    assert lib.ask("how many people were arrested at the rally?").found
    # tried as a new user would: "how many people gathered in dunmere" bolded the arrests
    assert lib.ask("how many people gathered in selby?").highlight == "About 2,000"
    assert lib.ask("how many people died in the floods?").found


def test_the_verb_after_an_auxiliary_is_no_object() -> None:
    """Tried as a new user would: "what share of the vote did tully get?" and "how many
    people in eastbank got sick" were "not found": "get" and "sick", in no report, were
    taken for part of what the question is about."""
    assert object_words("what share of the vote did tully get?") == {"vote", "tully"}
    assert object_words("how much of the harvest will china buy?") == {"harvest", "china"}
    assert object_words("how many died in the port strike?") == {"port", "strike"}
    # ... nor a verb after it ("sick", in no report, made it "not found")
    assert object_words("how many people in eastbank got sick") == {"eastbank"}
    assert object_words("how many people in the town died?") == {"town"}
