"""Conditions in the DESIGN.md vocabulary, in vocabulary order."""
import pytest

from extractors.conditions import conditions_from_mesh, find_conditions, merge_conditions, population_conditions


@pytest.mark.parametrize("text,expected", [
    ("Ketamine for depression, anxiety, PTSD and chronic pain.",
     ["depression", "ptsd", "chronic_pain", "anxiety"]),
    ("Ketamine reduced postoperative pain after hernia repair.", ["acute_pain"]),
    ("Perioperative ketamine and procedural pain in children.", ["acute_pain"]),
    ("Pain scores after laparoscopic surgery were lower with ketamine.", ["acute_pain"]),
    ("electrical current pain threshold in healthy volunteers", ["acute_pain"]),
    ("Patients with treatment-resistant depression (TRD) received ketamine.", ["trd"]),
    ("refractory depression", ["trd"]),
    ("major depressive disorder", ["depression"]),
    ("fibromyalgia, CRPS and neuropathic pain", ["chronic_pain"]),
    ("obsessive-compulsive disorder", ["ocd"]),
    ("bipolar depression with suicidal ideation", ["bipolar", "suicidality"]),   # not also depression
    ("alcohol use disorder and opioid use disorder", ["substance_use"]),
    ("Ketamine can cause respiratory depression.", []),
    ("contraindicated with a history of substance abuse", []),
    ("Ketamine infusions for pain management.", ["chronic_pain"]),
    ("emergence agitation after sevoflurane", ["other"]),
    ("", []),
])
def test_find_conditions(text, expected):
    assert find_conditions(text) == expected


def test_postoperative_pain_is_never_chronic():
    found = find_conditions("Ketamine for postoperative pain and post-surgical pain after cesarean.")
    assert "acute_pain" in found and "chronic_pain" not in found


def test_chronic_postsurgical_pain_is_chronic():
    assert find_conditions("chronic postsurgical pain") == ["chronic_pain"]


def test_mesh_and_merge():
    assert conditions_from_mesh(["Depressive Disorder, Treatment-Resistant", "Ketamine/therapeutic use",
                                 "Pain, Postoperative/drug therapy*"]) == ["trd", "acute_pain"]
    assert merge_conditions(["ptsd"], ["trd", "ptsd"]) == ["trd", "ptsd"]


@pytest.mark.parametrize("text,expected", [
    ("Although some depression of physiological parameters was seen, values stayed normal.", []),
    ("depression of airway reflexes after sedation", []),
    ("adults with depression that has not improved after at least two antidepressant trials", ["trd"]),
    ("Ketamine eases depressive symptoms in those who have not responded to other treatments.", ["trd"]),
    ("After years of trying every antidepressant, ketamine helped me.", ["trd"]),
    ("Depression is common. Many patients have not responded to two drugs.", ["depression"]),  # another sentence
    ("Ketamine is a rapid-acting antidepressant.", ["depression"]),
    ("Ketamine differs from typical antidepressants.", []),       # the drug class names no condition
    ("suicidal treatment-resistant bipolar depression and chronic pain",
     ["trd", "chronic_pain", "bipolar", "suicidality"]),
    ("patients with acute mania", ["bipolar"]),
    ("Major depression, including treatment-resistant depression", ["trd", "depression"]),
    ("patients with minor head injury", ["other"]),
    ("succinylcholine-induced postoperative myalgia", ["acute_pain"]),
    ("catheter-related bladder discomfort after TURBT", ["acute_pain"]),
    ("pain during dental treatment in children", ["acute_pain"]),
    ("ketamine for ischaemic rest pain in peripheral arterial disease", ["chronic_pain"]),
    ("opioid-dependent patients on methadone maintenance", ["substance_use"]),
    # bipolar electrodes are no bipolar disorder
    ("switching bipolar (SB) radiofrequency ablation of small liver tumours", []),
    ("bipolar TURP in men with benign prostatic hyperplasia", []),
    ("adults with bipolar disorder", ["bipolar"]),
])
def test_find_conditions_rules(text, expected):
    assert find_conditions(text) == expected


def pop(title, methods=(), background=(), results=(), **kw):
    sentences = list(background) + list(methods) + list(results)
    roles = ["background"] * len(background) + ["methods"] * len(methods) + ["results"] * len(results)
    return population_conditions(title, sentences, roles, **kw)


def test_population_of_healthy_volunteers_animals_and_trainees_is_none():
    assert pop("Ketamine and fentanyl in experimental pain",
               ["Ten healthy volunteers received ketamine and an electrical pain threshold test."]) == []
    assert pop("Ketamine sedation of rhesus macaques", ["Sixteen macaques were sedated."]) == []
    assert pop("Virtual reality for sedation training", ["Residents were trained in a simulation scenario."]) == []
    # healthy controls beside a patient population do not make a healthy study
    assert pop("Ketamine in depression", ["Patients with depression and healthy volunteers were scanned."]) == [
        "depression"]


def test_population_comes_from_title_aim_and_methods():
    background = ["Ketamine is used for depression and chronic pain.",          # scene-setting
                  "We aimed to test ketamine for postoperative pain."]    # the aim
    assert pop("Ketamine in hernia repair", ["Sixty patients undergoing surgery were randomized."],
               background=background, results=["Anxiety scores fell."]) == ["acute_pain"]
    # with no aim stated, the last background sentence stands for it
    assert pop("Ketamine trial", background=["Pain is common.", "Mania needs new treatments."]) == ["bipolar"]


def test_measurements_listed_in_the_methods_name_outcomes_not_the_population():
    assert pop("Geriatric care after hip fracture", [
        "Older patients admitted with hip fracture were randomized to geriatric or orthopaedic care.",
        "Secondary outcomes are mobility, quality of life and depressive symptoms."]) == ["other"]
    assert pop("Relaxation for women with breast cancer", [
        "Women were assessed with questionnaires for anxiety and depression."]) == ["other"]
    # a sentence that names the patients still tells who was studied
    assert pop("Paroxetine trial", ["Patients with depression were assessed with the MADRS."]) == ["depression"]
    # and the pain a trial measures is its population's
    assert pop("Caudal block in children undergoing hernia repair", [
        "Postoperative pain and side effects were assessed for 24 h."]) == ["acute_pain"]


def test_one_population():
    # a perioperative trial that measures chronic postsurgical pain is still perioperative
    assert pop("Ketamine for postoperative pain", ["Chronic postsurgical pain was assessed at 3 months."]) == [
        "acute_pain"]
    # a treatment-resistant population is not also listed as depression
    assert pop("Ketamine in treatment-resistant depression", ["Patients with major depression were enrolled."]) == [
        "trd"]
    assert pop("Ketamine trial", ["Adults were enrolled."], mesh=["depression"]) == ["depression"]


def test_anaesthesia_and_sedation_studies_without_a_condition_are_other():
    assert pop("Ketamine or fentanyl as co-induction in propofol anesthesia",
               ["Sixty patients scheduled for minor surgery were randomized."]) == ["other"]
    # a named condition wins over the setting
    assert pop("Ketamine for pain after tonsillectomy under general anesthesia") == ["acute_pain"]


def test_patients_with_a_condition_outside_the_vocabulary_are_other():
    assert pop("Weight loss and exercise in knee osteoarthritis",
               ["Patients with knee osteoarthritis were randomized to diet or exercise."]) == ["other"]
    # a disease named for the population, without "patients with"
    assert pop("Walking practice after stroke", ["Ambulatory adults were randomized to two programmes."]) == [
        "other"]
    assert pop("Exercise doses in overweight postmenopausal women") == ["other"]
    # volunteers with no condition named stay without one
    assert pop("Nitrate and sprint performance", ["Twenty athletes were randomized."]) == []
