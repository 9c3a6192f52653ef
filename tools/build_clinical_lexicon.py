"""Build medassist_desktop/core/routing/data/clinical_lexicon_v1.json.

The keyword router must never refuse a question that names a disease, symptom, sign,
medicine, procedure or body part. Its lexicon is built from three sources:
- the `topics` of every document of the starter library (resources/knowledge);
- the words of every sign code of the triage rules (also added when the router
  loads, so new signs are covered without rebuilding);
- the curated lists below: the common conditions of the region (South-East Asia),
  symptoms and signs as health workers and carers say them, essential medicines,
  procedures, and body parts, with British and American spellings. Words too common
  in everyday English to mark a question as clinical alone ("cold", "hot", "back",
  "face", "test", "care") are left out or kept only inside a phrase.
Body parts are the weakest evidence: the router lets an out-of-scope phrase outweigh
them ("how many legs does a spider have"), never a disease, sign or medicine.
English is the only language the app ships; a new language adds its own lists here.

Run: python tools/build_clinical_lexicon.py   (then review the diff and commit it)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "resources" / "knowledge"
RULES = ROOT / "medassist_desktop" / "core" / "triage" / "rules" / "who_2014_v1.json"
OUTPUT = ROOT / "medassist_desktop" / "core" / "routing" / "data" / "clinical_lexicon_v1.json"

DISEASES = """
dengue, dengue fever, dengue haemorrhagic fever, dengue hemorrhagic fever, malaria, falciparum,
vivax, measles, rubella, german measles, chickenpox, chicken pox, varicella, shingles, mumps,
scabies, tuberculosis, tb, typhoid, typhoid fever, enteric fever, paratyphoid, leptospirosis,
scrub typhus, typhus, rickettsia, melioidosis, japanese encephalitis, encephalitis, meningitis,
chikungunya, zika, cholera, dysentery, shigella, amoebiasis, giardia, diarrhoea, diarrhea,
gastroenteritis, rotavirus, hepatitis, jaundice, hiv, aids, syphilis, gonorrhoea, gonorrhea,
chlamydia, sti, std, herpes, hpv, pneumonia, bronchiolitis, bronchitis, asthma, copd,
influenza, covid, covid-19, coronavirus, common cold, sinusitis, tonsillitis, pharyngitis,
diphtheria, pertussis, whooping cough, tetanus, polio, rabies, leprosy, filariasis,
elephantiasis, schistosomiasis, worms, roundworm, hookworm, tapeworm, helminths, ascariasis,
impetigo, cellulitis, abscess, boil, boils, ringworm, tinea, fungal infection, candida, thrush,
conjunctivitis, trachoma, otitis, otitis media, ear infection, mastoiditis, anaemia, anemia,
thalassaemia, thalassemia, g6pd, sickle cell, malnutrition, severe acute malnutrition,
kwashiorkor, marasmus, wasting, stunting, rickets, goitre, goiter, diabetes, hypoglycaemia,
hypoglycemia, hyperglycaemia, hypertension, high blood pressure, pre-eclampsia,
preeclampsia, eclampsia, ectopic pregnancy, miscarriage, abortion, postpartum haemorrhage,
postpartum hemorrhage, haemorrhage, hemorrhage, sepsis, septicaemia, shock, dehydration,
heat stroke, hypothermia, urinary tract infection, uti, cystitis, pyelonephritis,
kidney stone, stroke, heart attack, heart failure, angina, epilepsy, depression, anxiety,
psychosis, snakebite, snake bite, dog bite, animal bite, burn, burns, scald, scalds,
fracture, sprain, poisoning, drowning, cancer, tumour, tumor, appendicitis, hernia,
ulcer, gastritis, cirrhosis, infection, disease, illness, pregnancy, pregnant, newborn
"""

SYMPTOMS_AND_SIGNS = """
fever, febrile, temperature, cough, coughing, rash, blisters, itch, itching, itchy, vomiting,
vomits, vomit, nausea, headache, pain, painful, ache, aches, abdominal pain, belly pain,
stomach ache, tummy ache, chest pain, back pain, sore throat, earache, ear discharge,
runny nose, breathless, breathlessness, shortness of breath, difficulty breathing,
difficult breathing, fast breathing, chest indrawing, wheeze, wheezing, stridor, grunting,
cyanosis, blue lips, convulsion, convulsions, convulsing, fits, fitting, seizure, seizures,
lethargic, lethargy, unconscious, drowsy, confusion, stiff neck, bulging fontanelle,
sunken eyes, dehydrated, thirsty, swelling, swollen, oedema, edema, pallor, pale, jaundiced,
yellow eyes, bleeding, bruising, petechiae, nosebleed, weight loss, losing weight,
poor feeding, not feeding well, failure to thrive, night sweats, chills, rigors, fatigue,
tiredness, weakness, dizziness, dizzy, fainting, palpitations, numbness, tingling,
paralysis, discharge, vaginal discharge, vaginal bleeding, blood in urine, dark urine,
painful urination, frequent urination, constipation, bloating, cramps, eschar, lump,
lymph nodes, swollen glands, red eye, sticky eyes, blurred vision, capillary refill,
weak pulse, fast pulse, cold hands, warning signs, danger signs, wound, sores,
mouth ulcers, skin pinch, low blood sugar, high blood sugar, blood sugar, thirst, sneezing,
tremor, sick, unwell, symptom, symptoms, fetal movement, fetal movements, patches, spots,
crusts, scab
"""

MEDICINES = """
paracetamol, acetaminophen, ibuprofen, aspirin, amoxicillin, ampicillin, gentamicin,
ceftriaxone, cefixime, cotrimoxazole, co-trimoxazole, azithromycin, erythromycin,
doxycycline, ciprofloxacin, metronidazole, penicillin, benzathine penicillin,
benzylpenicillin, cloxacillin, flucloxacillin, chloramphenicol, nitrofurantoin, antibiotic,
antibiotics, artemether, lumefantrine, artemether-lumefantrine, artesunate, artemisinin,
quinine, chloroquine, primaquine, dihydroartemisinin, piperaquine, mefloquine, zinc, ors,
oral rehydration salts, oral rehydration solution, vitamin a, iron, folic acid, albendazole,
mebendazole, praziquantel, ivermectin, permethrin, benzyl benzoate, salbutamol,
prednisolone, hydrocortisone, adrenaline, epinephrine, oxygen, oxytocin, misoprostol,
tranexamic acid, magnesium sulfate, magnesium sulphate, calcium gluconate, diazepam,
phenobarbital, insulin, metformin, glibenclamide, amlodipine, enalapril,
hydrochlorothiazide, nifedipine, methyldopa, labetalol, antivenom, antivenin,
rabies vaccine, rabies immunoglobulin, tetanus toxoid, vaccine, vaccines, isoniazid,
rifampicin, pyrazinamide, ethambutol, antiretroviral, antiretrovirals, arv, nevirapine,
zidovudine, dolutegravir, tenofovir, fluconazole, nystatin, clotrimazole, miconazole,
gentian violet, chlorhexidine, dextrose, glucose, ringer's lactate, normal saline,
iv fluids, rutf, vitamin k, ferrous sulfate, ferrous sulphate, omeprazole, antacid,
loperamide, medicine, medicines, medication, medications, dose, doses, dosage, dosing,
tablet, tablets, syrup, injection, injections, ointment, cream
"""

PROCEDURES = """
referral, refer, referring, pre-referral, triage, resuscitation, resuscitate, cpr,
rescue breaths, bag and mask, suction, intubation, nasogastric tube, iv line, cannula,
catheter, blood transfusion, transfusion, wound dressing, suturing, sutures, stitches,
incision and drainage, splint, splinting, bandage, tourniquet, pressure immobilisation,
rdt, rapid diagnostic test, blood smear, blood test, haemoglobin, hemoglobin, blood glucose,
urine dipstick, pregnancy test, hiv test, xpert, sputum, chest x-ray, x-ray, ultrasound,
lumbar puncture, vaccination, vaccinate, immunisation, immunization, immunise, immunize,
delivery, childbirth, labour, caesarean, cesarean, episiotomy, kangaroo mother care,
breastfeeding, breastfeed, phototherapy, nebuliser, nebulizer, spacer, rehydration,
rehydrate, muac, growth monitoring, antenatal care, antenatal, postnatal care, postnatal,
family planning, contraception, circumcision, hand hygiene, wound washing, first aid,
post-exposure prophylaxis, diagnose, diagnosis, treatment, treat, treating
"""

BODY_PARTS = """
scalp, eye, eyes, eyelid, ear, ears, nose, lips, tongue, teeth, tooth, gums, throat, neck,
chest, lungs, lung, heart, breast, breasts, nipple, abdomen, belly, stomach, tummy, liver,
spleen, kidney, kidneys, bladder, bowel, intestines, spine, pelvis, groin, genitals, penis,
testicles, scrotum, vagina, vulva, uterus, womb, cervix, placenta, umbilical cord,
cord stump, navel, elbow, wrist, fingers, thumb, leg, legs, thigh, knee, ankle, foot, feet,
toes, skin, joint, joints, muscle, muscles, bone, bones, brain, vein, fontanelle, armpit,
anus, rectum, arm, arms, hand, hands, head, mouth, face, back, buttock, buttocks, jaw, calf,
calves, forehead, shoulder, hip
"""

# Weak, like body parts: a patient's measurements (an out-of-scope phrase outweighs them).
MEASUREMENTS = """
weight, weighs, weighing, underweight, height, length, kg, centimetres, head circumference
"""


def _terms(block: str) -> set[str]:
    return {t.strip().lower() for t in block.replace("\n", " ").split(",") if t.strip()}


def library_topics() -> list[str]:
    topics: list[str] = []
    for path in sorted(KNOWLEDGE.glob("*.md")):
        match = re.search(r"^topics:\s*\[(.*)\]\s*$", path.read_text(encoding="utf-8"), re.M)
        if match:
            topics.extend(t.strip().lower() for t in match.group(1).split(","))
    return topics


def sign_phrases() -> list[str]:
    signs = json.loads(RULES.read_text(encoding="utf-8"))["signs"]
    return [code.replace("_", " ") for code in signs]


# Library topics that are not clinical on their own (audience, region and setting words).
NOT_CLINICAL_TOPICS = {
    "child",
    "children",
    "adults",
    "southeast asia",
    "flood",
    "rats",
    "transport",
    "schedule",
    "catch-up",
    "waste",
    "ncd",
    "hearts",
    "emergency",
    "young infant",
    "classification",
    "dosing",
    "weight band",
    "formulary",
    "appetite test",
    "five moments",
    "standard precautions",
    "act",
    "art",
    "contacts",
    "linkage",
    "sam",
    "mam",
    "testing",
    "screening",
    "cooling",
    "sharps",
    "complications",
    "counselling",
    "isolation",
    "maternal",
    "circulation",
}


def build() -> dict[str, object]:
    categories: dict[str, set[str]] = {
        "disease": _terms(DISEASES),
        "symptom": _terms(SYMPTOMS_AND_SIGNS),
        "medicine": _terms(MEDICINES),
        "procedure": _terms(PROCEDURES),
        "body_part": _terms(BODY_PARTS),
        "measurement": _terms(MEASUREMENTS),
        "library_topic": {t for t in library_topics() if t not in NOT_CLINICAL_TOPICS},
        "triage_sign": set(sign_phrases()),
    }
    return {
        "version": "clinical-lexicon-v1",
        "language": "en",
        "note": "Built by tools/build_clinical_lexicon.py; do not edit by hand.",
        "terms": {name: sorted(terms) for name, terms in sorted(categories.items())},
    }


def main() -> None:
    OUTPUT.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
