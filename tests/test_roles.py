""""Who heads the port authority?" is answered by the head of the port authority, not by the
union's leader, though both sentences name a person with a role."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.embedder import Embedder
from index.library import Library
from index.models import ReportDraft
from index.roles import asked_owner, role_owner, same_body


@pytest.mark.parametrize(("question", "owner"), [
    ("who heads the port authority?", {"port", "authority"}),
    ("who is the chief executive of Acme Corp", {"acme", "corp"}),
    ("who is hoechst celanese's new CFO", {"hoechst", "celanese"}),
    ("who chairs the fed", {"fed"}),
    ("who is the fbi director?", {"fbi"}),
    ("who said the talks would resume?", None),  # no role asked
    ("who heads it?", None),  # names no one
])
def test_asked_owner(question: str, owner: set[str] | None) -> None:
    assert asked_owner(question) == owner


def test_same_body() -> None:
    assert same_body({"fed"}, {"federal", "reserve", "board"})
    assert same_body({"port", "authority"}, {"ships", "port", "authority"})
    assert not same_body({"port", "authority"}, {"union"})


@pytest.mark.parametrize(("sentence", "previous", "owner"), [
    ("Union leader Joao Pereira said the workers would not return.", "", {"union"}),
    ("Its chief executive, Mira Santos, called the strike irresponsible.",
     "Ships were waiting, the port authority said.", {"ships", "waiting", "port", "authority"}),
    ("Juergen Dormann, chairman of Hoechst Celanese Corp, said sales rose.", "",
     {"hoechst", "celanese", "corp"}),
    ("Acme's president, Ernest Drew, resigned.", "", {"acme"}),
    ("The workers said they would not return.", "", None),  # no role
    # a former role is no one's now; the next one counts
    ("Dieter zur Loye, formerly president of American Hoechst, was named chairman of "
     "Hoechst Celanese.", "", {"hoechst", "celanese"}),
    ("Juergen Dormann has been named chairman.", "", None),  # no owner written
    ("Federal Reserve Board chairman Paul Volcker spoke.", "", {"federal", "reserve", "board"}),
    # a rank before a name, then whose head the person is ("who heads the police cyber unit"
    # had bolded the unit itself)
    ("Detective Superintendent Yara Falkenrath, head of the National Police Cyber Crime Unit, "
     "said it was linked to 11 attacks.", "", {"national", "police", "cyber", "crime", "unit"}),
    ("Minister Ana Vell criticised the port authority chief executive.", "", None),
])
def test_role_owner(sentence: str, previous: str, owner: set[str] | None) -> None:
    assert role_owner(sentence, previous) == owner


def test_a_persons_name_is_no_owner() -> None:
    s = "Equitable Life Leasing Corp said it named Lawrence Johnes president."
    assert role_owner(s) == {"lawrence", "johnes"}  # read alone, the name looks like one
    assert role_owner(s, people=["Lawrence Johnes"]) is None


@pytest.mark.model
def test_who_heads_quotes_the_head_of_what_is_asked(real_sample_dir: Path,
                                                     real_embedder: Embedder) -> None:
    """Tried as a new user would: "who heads the port authority?" quoted "Union leader
    Joao Pereira said ..." first, and the authority's chief executive second."""
    lib = Library(real_sample_dir, real_embedder)
    answer = lib.ask("who heads the port authority?")
    assert answer.found and "Mira Santos" in answer.quotes[0].text
    assert answer.highlight == "Mira Santos"


@pytest.mark.model
@pytest.mark.parametrize(("question", "name"), [("who is Tomas Lerch?", "Lerch"),
                                                ("who is ilse brandt?", "Brandt")])
def test_who_is_a_named_person_quotes_only_sentences_about_them(
        real_sample_dir: Path, real_embedder: Embedder, question: str, name: str) -> None:
    """Tried as a new user would: "who is Tomas Lerch?" quoted "The provincial governor,
    Tomas Lerch, ..." and then two sentences about the Red Crescent, the organisation bold."""
    lib = Library(real_sample_dir, real_embedder)
    answer = lib.ask(question)
    assert answer.found
    assert all(name in f"{q.text} {q.context or ''}" for q in answer.quotes)


@pytest.mark.model
def test_who_is_quotes_a_sentence_naming_them_though_another_scores_higher(
        tmp_path: Path, int8_embedder: Embedder) -> None:
    """Tried as a new user would: "who is jarek molin" quoted "Korvath's chief executive,
    Anselm Roderick, apologised ...", which names another man, with "Korvath" bold."""
    with Library(tmp_path / "d", int8_embedder) as lib:
        lib.ingest([ReportDraft(
            title="Korvath kept too much ammonium nitrate, inspectors say", date="2031-03-05",
            source="Ledger", report_id="k",
            text="The national environment inspectorate said on Wednesday that the storage "
                 "hall where the blast began was licensed to hold no more than 50 tonnes of "
                 "ammonium nitrate. Its director, Jarek Molin, said the inspectorate would "
                 "decide on penalties within days.\n\nKorvath's chief executive, Anselm "
                 "Roderick, apologised to the people of Dunmere in a televised statement. The "
                 "dead man was identified as Viktor Salm, 44, a shift supervisor.")])
        for question, name in (("who is jarek molin", "Molin"), ("who is viktor salm", "Salm")):
            answer = lib.ask(question)
            assert name in answer.quotes[0].text, question
            assert answer.highlight != "Korvath"


def test_a_quote_naming_no_post_gives_way_to_the_asked_bodys_head() -> None:
    """Tried as a new user would: "who runs the disaster agency" quoted "Of the dead, 12
    were on Kellan Island, ..., the National Disaster Response Office said" (no one's post;
    the tagger took an island for a person, and bolded it); "NDRO director X said" was not
    found ("heads" missing); a top quote naming a post of its own keeps its place."""
    from index.answer import _asked_body_first
    from index.models import Sentence
    from index.retrieve import Candidate

    def cand(i: int, text: str) -> Candidate:
        return Candidate(Sentence(i, "r", i, text), 0.5, 1.0, 1.0)

    toll = cand(1, "Of the dead, 12 were on Velloa, the Islands Relief Office said.")
    head = cand(2, "Anja Moll, director of the Islands Relief Office, said teams were out.")
    other = cand(3, "Union leader Oren Falk said the Islands Relief Office was slow.")
    question = "who runs the relief office"
    body = asked_owner(question)
    assert body is not None
    assert _asked_body_first(question, body, toll, [toll, head])[0] is head
    assert _asked_body_first(question, body, other, [other, head])[0] is head  # another's post
    governor = cand(4, "Governor Ivo Brandt said the Islands Relief Office was overwhelmed.")
    assert _asked_body_first(question, body, governor, [governor, head])[0] is governor
    # the post asked: "who is the health minister?" quoted the opposition's health
    # spokesperson, above "Health Minister Teo Balas said ..."
    critic = cand(5, "\"The ministry waited,\" said Mira Lind, the opposition's health "
                     "spokesperson.")
    minister = cand(6, "Health Minister Teo Balas said he would order a review.")
    question = "who is the health minister"
    body = asked_owner(question)
    assert body is not None
    assert _asked_body_first(question, body, critic, [critic, minister])[0] is minister
    assert _asked_body_first(question, body, minister, [minister, critic])[0] is minister


@pytest.mark.parametrize("text", ["", "?", "who heads " + "x " * 50_000 + "?",
                                  "who is " + "Big " * 50_000 + "chairman",
                                  "<b>who heads</b> the <i>port</i>?\x00", "who heads ???"])
def test_bad_input_to_role_reading(text: str) -> None:
    """Empty, huge (no quadratic backtracking), markup and control characters: an answer or
    ``None``, never an error."""
    owner = asked_owner(text)
    assert owner is None or owner <= set(text.lower().split()) | {"port", "x", "big"}
    assert role_owner(text) is None or isinstance(role_owner(text), set)
    assert role_owner(text, previous=text, people=[text]) is None or text.startswith("who")


def test_another_name_for_a_post_is_the_post() -> None:
    """Asked "who is wppss's lawyer", "WPPSS attorney Ron English" answers; "gm's sales vp",
    "GM sales vice-president C.N. Moore"; a judge, "Justice Perpetua Langridge"; a
    mediator, "a former judge, Amara Kessling, to mediate"; asked a president, a sentence
    naming only a minister, or no post and no person, answers nothing."""
    from index.answer import _another_post
    from index.qtype import posts

    assert not _another_post(posts("who is wppss's lawyer"), "WPPSS attorney Ron English "
                             "said the system was advised by staff.", True)
    assert not _another_post(posts("who is gm's sales vp"), "GM sales vice-president C.N. "
                             "Moore said sales rose.", True)
    assert not _another_post(posts("who was the judge"), "Justice Perpetua Langridge said "
                             "the notice was given.", True)
    assert not _another_post(posts("who is the mediator"), "The state named a former judge, "
                             "Amara Kessling, to mediate in the lockout.", True)
    assert _another_post(posts("who is the president of carvessa"), "Agriculture Minister "
                         "Halvard Osk said the ban would stay.", True)
    assert _another_post(posts("who is the captain"), "The ship is owned by Halvorsen-Quay "
                         "Shipping.", False)
    assert not _another_post(posts("who is the captain"), "\"We held on,\" said Ivo Marr.",
                             True)  # a person named: perhaps the one asked
    assert not _another_post(set(), "Agriculture Minister Halvard Osk spoke.", True)


DEFENCE = [
    ReportDraft(title="Dalmark defence minister resigns over patrol boat deal",
                date="2037-04-22T09:00:00", source="Post", report_id="d1",
                text="Defence Minister Karol Vestin resigned on Thursday over the patrol boat "
                     "contract. Mr Vestin, 58, had been defence minister since 2033. Until a "
                     "successor is named, the ministry will be run by deputy minister Lena "
                     "Dorsk, a former air force colonel."),
    ReportDraft(title="Navy defends patrol boats", date="2037-04-23T09:00:00", source="Wire",
                report_id="d2",
                text="Defence Minister-designate Lena Dorsk said the navy would keep operating "
                     "the two boats it already has. Navy chief Vice Admiral Teo Rask said the "
                     "boats were performing well. The navy wants four more boats."),
    ReportDraft(title="Dorsk named defence minister", date="2037-04-24T09:00:00",
                source="Post", report_id="d3",
                text="Prime Minister Elin Varga on Friday named Lena Dorsk, who had been "
                     "running the ministry since Vestin's resignation, as defence minister. "
                     "She will be sworn in on Monday."),
]


def test_the_holder_of_the_post_asked_and_the_new_one(tmp_path: Path,
                                                      int8_embedder: Embedder) -> None:
    """Tried as a new user would: "navy chief name" bolded the defence minister-designate
    (the best sentence named the navy, not its chief), and "who is the new defence
    minister" the one who had resigned ("had been defence minister since 2034")."""
    with Library(tmp_path / "d", int8_embedder) as lib:
        lib.ingest(DEFENCE)
        assert lib.ask("navy chief name").highlight == "Teo Rask"
        new = lib.ask("who is the new defence minister")
        assert new.highlight == "Lena Dorsk" and "named" in new.quotes[0].text


def test_a_post_the_question_names_by_its_short_form_is_that_post(tmp_path: Path,
                                                                  int8_embedder: Embedder
                                                                  ) -> None:
    """"ferronord cfo" must not lead with the chief executive ("CEO" and "CFO" are both a
    chief by their post's key)."""
    with Library(tmp_path / "d", int8_embedder) as lib:
        lib.ingest([ReportDraft(
            title="Hackers raise ransom on Ferronord", date="2031-03-09", source="Wire",
            report_id="f1",
            text="\"This is a criminal attack on a public service,\" said Mirela Castagne, "
                 "Ferronord's chief executive. The rail operator's losses reached 14 million "
                 "euros. \"That figure will rise,\" said chief financial officer Paulo "
                 "Venner.")])
        assert lib.ask("ferronord cfo").highlight == "Paulo Venner"
