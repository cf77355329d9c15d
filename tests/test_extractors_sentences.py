"""Sentence splitting: abbreviations, decimals, lists, headings, page debris."""
from extractors.sentences import is_debris, split_paragraphs, split_sentences, split_text


def test_et_al_and_year_do_not_split():
    text = "Zarate et al. (2006) found a rapid antidepressant effect. Later trials agreed."
    assert split_sentences(text) == [
        "Zarate et al. (2006) found a rapid antidepressant effect.",
        "Later trials agreed.",
    ]


def test_decimals_and_units_survive():
    text = ("Patients received 0.5 mg/kg over 40 minutes. The difference was significant "
            "(p < 0.05). Response was 64%.")
    assert split_sentences(text) == [
        "Patients received 0.5 mg/kg over 40 minutes.",
        "The difference was significant (p < 0.05).",
        "Response was 64%.",
    ]


def test_titles_and_latin_abbreviations():
    text = ("Dr. Smith treats depression, e.g. treatment-resistant cases, i.e. after two failed "
            "drugs. Ketamine vs. placebo was tested approx. 3 times in the U.S. National trial. "
            "See Fig. 2 and No. 5 for details.")
    assert split_sentences(text) == [
        "Dr. Smith treats depression, e.g. treatment-resistant cases, i.e. after two failed drugs.",
        "Ketamine vs. placebo was tested approx. 3 times in the U.S. National trial.",
        "See Fig. 2 and No. 5 for details.",
    ]


def test_initials_do_not_split_but_group_letters_do():
    assert split_sentences("J. K. Smith wrote it. Group B. The end.") == [
        "J. K. Smith wrote it.", "Group B.", "The end."]


def test_unit_followed_by_capital_is_a_boundary():
    assert split_sentences("The dose was 0.5 mg/kg. Patients improved.") == [
        "The dose was 0.5 mg/kg.", "Patients improved."]


def test_company_suffix_is_not_a_boundary():
    assert split_sentences("NRx Pharmaceuticals, Inc. (NASDAQ: NRXP) filed an NDA.") == [
        "NRx Pharmaceuticals, Inc. (NASDAQ: NRXP) filed an NDA."]


def test_headings_and_numbered_lists_are_their_own_sentences():
    text = ("Mechanism of Action\n"
            "1. Depression:\n"
            "Ketamine acts on NMDA receptors. It is fast!\n")
    assert split_sentences(text) == [
        "Mechanism of Action", "1. Depression:", "Ketamine acts on NMDA receptors.", "It is fast!"]


def test_hard_wrapped_line_is_joined():
    text = "Ketamine's impact on depression\nhas been studied for years."
    assert split_sentences(text) == ["Ketamine's impact on depression has been studied for years."]


def test_a_sentence_wrapped_across_a_blank_line_is_joined():
    text = "MIRA said studies are\n\nongoing to assess neuropathic pain. Next sentence."
    assert split_sentences(text) == ["MIRA said studies are ongoing to assess neuropathic pain.",
                                     "Next sentence."]
    assert split_sentences("Side effects\n\nNausea can occur.") == ["Side effects", "Nausea can occur."]


def test_a_reference_list_entry_is_one_sentence():
    entry = ("2. Anand A, Mathew SJ, Sanacora G, et al. Ketamine versus ECT for nonpsychotic "
             "treatment-resistant major depression. N Engl J Med. 2023;388(25):2315-2325.")
    assert split_sentences(entry) == [entry]


def test_titles_of_office_do_not_split():
    assert split_sentences("Joined by Rep. Dan Crenshaw and Sen. Smith, he spoke. Then he left.") == [
        "Joined by Rep. Dan Crenshaw and Sen. Smith, he spoke.", "Then he left."]


def test_abstract_mode_joins_single_newlines():
    text = "Ketamine was given to\nTen patients. Results\nfollowed."
    assert split_sentences(text, line_breaks=False) == [
        "Ketamine was given to Ten patients.", "Results followed."]


def test_page_debris_is_dropped():
    text = "\n".join([
        "![INNERSIGHT.jpg](https://static.example.com/media/a.jpg)",
        "Ketamine Drips",
        "Share on Facebook",
        "-",
        "https://example.com/some/page",
        "[Reddit Post](https://www.reddit.com/r/x/comments/1)",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "We use cookies to improve your experience. Accept",
        "Add to cart",
        "Your Cart is empty!",
        "204 total views",
        "Scroll to Top",
        "Pickup - citybuzz.co",
        "Featured photo by Fernando @cferdophotography on Unsplash.",
        "Contact DetailsBenzinga",
        "+1 877-440-9464",
        "info@benzinga.com",
        "Company Websitehttp://www.benzinga.com",
        "--News Direct--",
        "Ketamine may help some patients.",
    ])
    assert split_sentences(text) == ["Ketamine Drips", "Ketamine may help some patients."]


def test_link_only_line_to_a_journal_is_kept():
    line = "[Murrough 2013](https://pubmed.ncbi.nlm.nih.gov/23982301/)"
    assert not is_debris(line)
    assert split_sentences(line) == [line]


def test_bullets_are_stripped_and_paragraphs_numbered():
    text = "- First point here.\n- Second point. Third one.\n\nNew paragraph."
    assert split_text(text) == [(0, "First point here."), (1, "Second point."), (1, "Third one."),
                                (2, "New paragraph.")]
    assert split_paragraphs(text) == [["First point here."], ["Second point.", "Third one."],
                                      ["New paragraph."]]


def test_empty_text():
    assert split_sentences("") == []
    assert split_sentences("   \n\n  ") == []
