"""Build medassist_desktop/core/routing/data/clinical_lexicon_v2.json.

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
Each language the app ships (English, Indonesian, Vietnamese) has its own lists, and
the Indonesian and Vietnamese sign labels of the message catalogue are added to the
triage signs; the file records which language each term comes from. Vietnamese terms
of two syllables or more are also kept without diacritics ("sot xuat huyet"), as
people type them on a keyboard without a Vietnamese layout. A new language adds its
lists here.

Run: python tools/build_clinical_lexicon.py   (then review the diff and commit it)
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "resources" / "knowledge"
RULES = ROOT / "medassist_desktop" / "core" / "triage" / "rules" / "who_2014_v1.json"
CATALOGUE = ROOT / "medassist_desktop" / "i18n" / "locale"
OUTPUT = ROOT / "medassist_desktop" / "core" / "routing" / "data" / "clinical_lexicon_v2.json"

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

# Indonesian: the words of Indonesian health workers (MTBS, Posyandu, Puskesmas) and carers.
# Left out alone: "panas" (hot weather), "bayi", "anak", "darah" - kept inside phrases.
ID_DISEASES = """
demam berdarah, demam berdarah dengue, dbd, dengue, malaria, campak, rubela, cacar air, cacar,
herpes zoster, gondongan, gondong, kudis, kudisan, skabies, tbc, tb paru, tuberkulosis, tipes,
tifus, tifoid, demam tifoid, leptospirosis, kencing tikus, radang otak, ensefalitis, radang
selaput otak, meningitis, chikungunya, kolera, disentri, diare, mencret, muntaber, hepatitis,
sakit kuning, penyakit kuning, hiv, aids, sifilis, raja singa, kencing nanah, gonore, radang
paru, radang paru-paru, pneumonia, paru-paru basah, bronkitis, asma, influenza, flu, covid,
pilek, sinusitis, amandel, radang tenggorokan, difteri, batuk rejan, pertusis, tetanus, polio,
rabies, kusta, lepra, kaki gajah, filariasis, cacingan, cacing, cacing kremi, impetigo, bisul,
abses, kurap, panu, kadas, jamur kulit, sariawan, sakit mata, belekan, mata merah, trakoma,
congek, infeksi telinga, anemia, kurang darah, talasemia, gizi buruk, kurang gizi, busung
lapar, marasmus, kwashiorkor, stunting, gondok, diabetes, kencing manis, gula darah tinggi,
hipoglikemia, hipertensi, darah tinggi, tekanan darah tinggi, preeklamsia, pre-eklamsia,
eklamsia, hamil anggur, hamil di luar kandungan, keguguran, perdarahan pasca persalinan,
perdarahan, pendarahan, sepsis, dehidrasi, kekurangan cairan, heatstroke, hipotermia, infeksi
saluran kemih, anyang-anyangan, batu ginjal, stroke, serangan jantung, gagal jantung, ayan,
epilepsi, gangguan jiwa, gigitan ular, digigit ular, gigitan anjing, digigit anjing, luka
bakar, patah tulang, keseleo, terkilir, keracunan, kanker, tumor, usus buntu, hernia, turun
berok, maag, sakit maag, tukak lambung, sirosis, infeksi, penyakit, hamil, ibu hamil,
kehamilan, bayi baru lahir, neonatus, bayi berat lahir rendah, bblr, ispa, flu singapura,
penyakit tangan kaki dan mulut, hfmd, kejang demam, kuning pada bayi, bayi kuning, ikterus,
tanda syok, korban tenggelam, hampir tenggelam
"""

ID_SYMPTOMS = """
demam, demamnya, badan panas, panas tinggi, meriang, menggigil, batuk, batuk berdarah, batuk
berdahak, ruam, bintik merah, bintik-bintik merah, bercak merah, lepuh, gatal, gatal-gatal,
muntah, mual, sakit kepala, pusing, nyeri, sakit, nyeri perut, sakit perut, mulas, nyeri dada,
sakit dada, sakit punggung, sakit pinggang, sakit tenggorokan, sakit telinga, keluar cairan
dari telinga, telinga berair, hidung meler, ingus, sesak napas, sesak nafas, susah bernapas,
sulit bernapas, napas cepat, nafas cepat, tarikan dinding dada, mengi, bengek, stridor,
merintih, kebiruan, bibir biru, kejang, kejang-kejang, kaku kuduk, ubun-ubun cekung, ubun-ubun
menonjol, lemas, lesu, letargis, tidak sadar, pingsan, tidak sadarkan diri, linglung, mata
cekung, bengkak, sembab, edema, pucat, mata kuning, kulit kuning, mimisan, memar, lebam, berat
badan turun, tidak mau menyusu, tidak bisa minum, tidak mau makan, keringat malam, kesemutan,
kebas, lumpuh, keputihan, kencing darah, air kencing gelap, nyeri saat kencing, sering kencing,
sembelit, susah buang air besar, kembung, kram, benjolan, kelenjar bengkak, penglihatan kabur,
mata berair, denyut nadi lemah, tanda bahaya, tanda-tanda bahaya, luka, borok, koreng,
sariawan, gula darah, gejala, bersin, gemetar, gerakan janin, berak darah, bab berdarah, buang
air besar cair, tinja berdarah, feses berdarah, tidak buang air kecil, sakit gigi, gigi
berlubang, sakit mata, muntah darah, berdarah, badan lemah, lemah lesu, nyeri sendi, nyeri
otot, sakit kuning
"""

ID_MEDICINES = """
parasetamol, ibuprofen, asetosal, amoksisilin, ampisilin, gentamisin, seftriakson, sefiksim,
kotrimoksazol, azitromisin, eritromisin, doksisiklin, siprofloksasin, metronidazol, penisilin,
kloramfenikol, antibiotik, artemeter, lumefantrin, artesunat, kina, klorokuin, primakuin, dhp,
dihidroartemisinin, piperakuin, zink, zinc, oralit, cairan oralit, vitamin a, kapsul vitamin a,
zat besi, tablet tambah darah, asam folat, albendazol, mebendazol, obat cacing, permetrin,
salbutamol, prednison, deksametason, adrenalin, epinefrin, oksigen, oksitosin, misoprostol,
magnesium sulfat, mgso4, diazepam, fenobarbital, insulin, metformin, amlodipin, kaptopril,
nifedipin, metildopa, serum anti bisa ular, vaksin, vaksin rabies, imunisasi, isoniazid, inh,
rifampisin, pirazinamid, etambutol, obat tbc, arv, antiretroviral, flukonazol, nistatin,
mikonazol, klorheksidin, dekstrosa, glukosa, infus, cairan infus, ringer laktat, rl, nacl,
rutf, f-75, f-100, vitamin k, obat, obat-obatan, dosis, tablet, sirup, puyer, suntikan,
injeksi, salep, krim, obat tetes, antasida, omeprazol, oralit dan zink, obat penurun panas,
obat batuk, obat demam, obat malaria
"""

ID_PROCEDURES = """
rujukan, rujuk, merujuk, dirujuk, pra-rujukan, triase, resusitasi, rjp, napas buatan,
pengisapan lendir, pasang selang, sonde, selang ngt, ngt, pasang infus, kateter, transfusi
darah, transfusi, perawatan luka, jahit luka, menjahit luka, bidai, pembidaian, perban, balut,
pembalutan, rdt, tes diagnostik cepat, sediaan darah, pemeriksaan darah, cek darah, hemoglobin,
hb, cek gula darah, tes urin, tes kehamilan, tes hiv, pemeriksaan dahak, dahak, rontgen,
rontgen dada, usg, pungsi lumbal, vaksinasi, imunisasi dasar, persalinan, melahirkan, bersalin,
operasi caesar, sesar, episiotomi, perawatan metode kanguru, pmk, menyusui, asi, asi eksklusif,
fototerapi, nebulizer, nebu, rehidrasi, lila, pita lila, penimbangan, kms, pemeriksaan
kehamilan, anc, nifas, kb, keluarga berencana, kontrasepsi, sunat, khitan, cuci tangan pakai
sabun, pertolongan pertama, p3k, profilaksis, diagnosis, pengobatan, mengobati, diobati,
tatalaksana, mtbs, mtbm, rencana terapi, perawatan tali pusat
"""

ID_BODY_PARTS = """
telinga, hidung, bibir, lidah, gigi, gusi, tenggorokan, leher, dada, paru, paru-paru, jantung,
payudara, puting, perut, limpa, ginjal, kandung kemih, usus, tulang belakang, panggul,
selangkangan, kelamin, alat kelamin, penis, buah zakar, vagina, rahim, leher rahim, plasenta,
ari-ari, tali pusat, tali pusar, pusar, siku, pergelangan tangan, jari, jempol, paha, lutut,
pergelangan kaki, telapak kaki, telapak tangan, sendi, otot, pembuluh darah, ubun-ubun, ketiak,
anus, dubur, lengan, wajah, punggung, pinggang, pantat, bokong, rahang, betis, dahi, bahu,
pinggul, kuku
"""

ID_MEASUREMENTS = """
berat badan, tinggi badan, panjang badan, lingkar kepala, lingkar lengan atas, suhu badan, suhu
tubuh, tekanan darah, denyut nadi, nadi, frekuensi napas, laju napas
"""

# Vietnamese: the words of Vietnamese health workers (IMCI, "Xu tri long ghep benh tre em")
# and carers. Left out alone: "đầu" (also "first"), "nóng" (hot weather), "em bé", "máu".
VI_DISEASES = """
sốt xuất huyết, sốt xuất huyết dengue, sxh, dengue, sốt rét, sởi, rubella, thủy đậu, thuỷ đậu,
zona, quai bị, ghẻ, bệnh ghẻ, bệnh lao, lao phổi, thương hàn, sốt thương hàn, leptospira, bệnh
do leptospira, sốt mò, viêm não, viêm não nhật bản, viêm màng não, chikungunya, bệnh tả, lỵ,
kiết lỵ, tiêu chảy, ỉa chảy, đi ngoài, viêm dạ dày ruột, viêm gan, viêm gan b, vàng da, hiv,
aids, giang mai, viêm phổi, viêm phế quản, viêm tiểu phế quản, hen, hen suyễn, suyễn, cúm,
covid, sổ mũi, cảm cúm, viêm xoang, viêm amidan, viêm họng, bạch hầu, ho gà, uốn ván, bại liệt,
bệnh dại, bệnh phong, giun chỉ, giun, giun sán, giun đũa, giun kim, giun móc, chốc lở, viêm mô
tế bào, áp xe, mụn nhọt, nhọt, hắc lào, lang ben, nấm da, nấm miệng, tưa lưỡi, đau mắt đỏ, viêm
kết mạc, đau mắt hột, viêm tai giữa, viêm tai, thiếu máu, thalassemia, tan máu bẩm sinh, suy
dinh dưỡng, suy dinh dưỡng cấp tính nặng, còi xương, bướu cổ, tiểu đường, đái tháo đường, hạ
đường huyết, tăng huyết áp, cao huyết áp, huyết áp cao, tiền sản giật, sản giật, chửa ngoài tử
cung, thai ngoài tử cung, sảy thai, băng huyết, băng huyết sau sinh, chảy máu sau sinh, xuất
huyết, nhiễm trùng huyết, nhiễm khuẩn huyết, mất nước, say nắng, sốc nhiệt, hạ thân nhiệt,
nhiễm trùng đường tiểu, nhiễm khuẩn tiết niệu, sỏi thận, đột quỵ, tai biến, nhồi máu cơ tim,
suy tim, động kinh, trầm cảm, rối loạn lo âu, rắn cắn, chó cắn, bỏng, gãy xương, bong gân, ngộ
độc, đuối nước, ung thư, khối u, viêm ruột thừa, thoát vị, loét dạ dày, đau dạ dày, xơ gan,
nhiễm trùng, nhiễm khuẩn, bệnh, có thai, mang thai, có bầu, thai phụ, bà bầu, phụ nữ có thai,
trẻ sơ sinh, sơ sinh, trẻ đẻ non, sinh non, nhẹ cân, tay chân miệng, bệnh tay chân miệng, sốt
co giật, vàng da sơ sinh, nhiễm khuẩn hô hấp cấp, dịch tả, bị lao, nhiễm lao, bệnh lậu, sốc
nhiễm khuẩn, sốc phản vệ, bệnh tim, đau tim
"""

VI_SYMPTOMS = """
sốt, sốt cao, sốt nhẹ, nóng sốt, ớn lạnh, rét run, ho, ho ra máu, ho có đờm, ho khan, phát ban,
nổi ban, ban đỏ, nổi mẩn, mẩn đỏ, mụn nước, ngứa, nôn, ói, buồn nôn, nôn mửa, đau đầu, nhức
đầu, đau, đau bụng, đau ngực, tức ngực, đau lưng, đau họng, đau tai, chảy mủ tai, chảy nước
mũi, khó thở, thở nhanh, thở gấp, rút lõm lồng ngực, thở rít, khò khè, thở khò khè, rên rỉ, tím
tái, môi tím, co giật, lên cơn co giật, cứng gáy, thóp phồng, thóp lõm, li bì, lơ mơ, hôn mê,
bất tỉnh, ngủ li bì, lú lẫn, mắt trũng, khát nước, sưng, xanh xao, da xanh, vàng mắt, chảy máu,
chảy máu cam, chảy máu chân răng, bầm tím, chấm xuất huyết, sụt cân, bỏ bú, bú kém, không bú
được, không uống được, đổ mồ hôi đêm, mệt mỏi, chóng mặt, hoa mắt, ngất, ngất xỉu, tê bì, khí
hư, ra huyết, ra máu âm đạo, tiểu ra máu, nước tiểu sẫm màu, tiểu buốt, tiểu rắt, táo bón, đầy
bụng, chướng bụng, chuột rút, nổi hạch, hạch, mắt đỏ, mờ mắt, nhìn mờ, mạch yếu, mạch nhanh,
dấu hiệu nguy hiểm, dấu hiệu cảnh báo, vết thương, lở loét, loét miệng, đường huyết, triệu
chứng, hắt hơi, thai máy, thai đạp, đi ngoài ra máu, phân có máu, đi cầu ra máu, nôn ra máu,
đau răng, sâu răng, ốm, bị ốm, không tỉnh, vảy đen, phù nề, bị phù, phù chân, bị liệt, liệt nửa
người, tê tay, tê chân, mệt lả, đau mắt, đau xương, đau khớp
"""

VI_MEDICINES = """
paracetamol, ibuprofen, aspirin, amoxicillin, ampicillin, gentamicin, ceftriaxone, cefixime,
cotrimoxazole, azithromycin, erythromycin, doxycycline, ciprofloxacin, metronidazole,
penicillin, cloramphenicol, chloramphenicol, kháng sinh, thuốc kháng sinh, artemether,
lumefantrine, artesunate, quinin, chloroquin, primaquin, dihydroartemisinin, piperaquin, kẽm,
oresol, ors, dung dịch oresol, vitamin a, viên sắt, axit folic, acid folic, albendazole,
mebendazole, thuốc tẩy giun, thuốc giun, permethrin, salbutamol, ventolin, prednisolon,
hydrocortison, adrenalin, epinephrin, oxy, thở oxy, oxytocin, misoprostol, magie sulfat,
magnesi sulfat, diazepam, phenobarbital, insulin, metformin, amlodipin, nifedipin, methyldopa,
huyết thanh kháng nọc rắn, vắc xin, vắc-xin, vaccine, tiêm chủng, vắc xin dại, isoniazid,
rifampicin, pyrazinamid, ethambutol, thuốc lao, thuốc kháng virus, arv, fluconazol, nystatin,
clotrimazol, chlorhexidin, glucose, đường glucose, dịch truyền, truyền dịch, ringer lactat,
nước muối sinh lý, natri clorid, rutf, vitamin k, thuốc, liều, liều lượng, liều dùng, viên
thuốc, siro, thuốc tiêm, tiêm, thuốc mỡ, kem bôi, thuốc hạ sốt, thuốc ho, thuốc sốt rét, thuốc
nhỏ mắt, omeprazol, thuốc dạ dày, bổ sung sắt
"""

VI_PROCEDURES = """
chuyển tuyến, chuyển viện, chuyển lên tuyến trên, chuyển đi bệnh viện, trước khi chuyển, phân
loại cấp cứu, cấp cứu, hồi sức, hồi sức tim phổi, ép tim, hô hấp nhân tạo, thổi ngạt, bóp bóng,
hút đờm, hút dịch, đặt nội khí quản, đặt sonde dạ dày, ống thông dạ dày, đặt đường truyền, ống
thông tiểu, truyền máu, băng bó, thay băng, khâu vết thương, nẹp, cố định xương, garô, test
nhanh, xét nghiệm nhanh, lam máu, xét nghiệm máu, xét nghiệm, huyết sắc tố, thử đường huyết,
thử nước tiểu, que thử thai, thử thai, xét nghiệm hiv, xét nghiệm đờm, đờm, chụp x-quang,
x-quang, siêu âm, chọc dò tủy sống, chọc dịch não tủy, tiêm phòng, tiêm vắc xin, đỡ đẻ, sinh
đẻ, chuyển dạ, sinh con, đẻ, mổ lấy thai, mổ đẻ, cắt tầng sinh môn, chăm sóc kiểu kangaroo, da
kề da, cho bú, bú mẹ, sữa mẹ, nuôi con bằng sữa mẹ, chiếu đèn, khí dung, xông khí dung, bù
nước, bù dịch, uống bù nước, đo vòng cánh tay, theo dõi tăng trưởng, khám thai, chăm sóc trước
sinh, sau sinh, chăm sóc sau sinh, kế hoạch hóa gia đình, tránh thai, cắt bao quy đầu, rửa tay,
sơ cứu, dự phòng sau phơi nhiễm, chẩn đoán, điều trị, chữa trị, chữa bệnh, xử trí, imci, phác
đồ, xét nghiệm lao
"""

VI_BODY_PARTS = """
da đầu, mí mắt, mũi, môi, răng, nướu, họng, cổ họng, ngực, phổi, vú, núm vú, bụng, lách, thận,
bàng quang, cột sống, xương chậu, bẹn, bộ phận sinh dục, dương vật, tinh hoàn, bìu, âm đạo, tử
cung, cổ tử cung, nhau thai, rau thai, dây rốn, cuống rốn, rốn, khuỷu tay, cổ tay, ngón tay,
ngón cái, đùi, đầu gối, mắt cá chân, bàn chân, bàn tay, da, não, tĩnh mạch, thóp, nách, hậu
môn, trực tràng, cánh tay, lưng, mông, bắp chân, trán, hông, móng tay
"""

VI_MEASUREMENTS = """
cân nặng, vòng đầu, vòng cánh tay, thân nhiệt, huyết áp, nhịp thở, nhịp tim, nhiệt độ cơ thể
"""


def _terms(block: str) -> set[str]:
    words = block.replace("\n", " ").split(",")
    return {unicodedata.normalize("NFC", t.strip().lower()) for t in words if t.strip()}


def without_diacritics(term: str) -> str:
    """ "sốt xuất huyết" -> "sot xuat huyet" (đ has no decomposition: mapped by hand)."""
    decomposed = unicodedata.normalize("NFD", term.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def translated_sign_labels(language: str) -> set[str]:
    """The catalogue's translations of the triage sign labels, brackets removed."""
    from babel.messages.pofile import read_po

    labels = set(json.loads(RULES.read_text(encoding="utf-8"))["signs"].values())
    path = CATALOGUE / language / "LC_MESSAGES" / "medassist.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    found: set[str] = set()
    for message in catalogue:
        if message.id in labels and isinstance(message.string, str) and message.string:
            text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", message.string)
            found.update(_terms(" ".join(text.split())))
    return found


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


LISTED_CATEGORIES = ("disease", "symptom", "medicine", "procedure", "body_part", "measurement")


def _by_category(*blocks: str) -> dict[str, set[str]]:
    """The curated lists of one language, in the order of LISTED_CATEGORIES."""
    return {name: _terms(block) for name, block in zip(LISTED_CATEGORIES, blocks, strict=True)}


# Everyday words that the translated sign labels or the accent-free forms would add:
# "haus"/"khát" (thirsty; "khát vọng" is "aspiration"), "uong kem" (also "uống kem",
# eating ice cream).
EVERYDAY_WORDS = {"haus", "khát", "uong kem"}


# Everyday phrases holding a term, blanked out of a question before matching.
NOT_CLINICAL_PHRASES = """
nước sốt, sốt cà chua, sốt vang, sốt me, sốt mayonnaise, sốt bơ, sốt chua ngọt,
sakit hati
"""


def languages() -> dict[str, dict[str, set[str]]]:
    """Each language's terms by category."""
    english = _by_category(
        DISEASES, SYMPTOMS_AND_SIGNS, MEDICINES, PROCEDURES, BODY_PARTS, MEASUREMENTS
    )
    english["library_topic"] = {t for t in library_topics() if t not in NOT_CLINICAL_TOPICS}
    english["triage_sign"] = set(sign_phrases())
    indonesian = _by_category(
        ID_DISEASES, ID_SYMPTOMS, ID_MEDICINES, ID_PROCEDURES, ID_BODY_PARTS, ID_MEASUREMENTS
    )
    indonesian["triage_sign"] = translated_sign_labels("id")
    vietnamese = _by_category(
        VI_DISEASES, VI_SYMPTOMS, VI_MEDICINES, VI_PROCEDURES, VI_BODY_PARTS, VI_MEASUREMENTS
    )
    vietnamese["triage_sign"] = translated_sign_labels("vi")
    for terms in vietnamese.values():
        terms.update({without_diacritics(t) for t in terms if len(t.split()) > 1})
    for terms in (*indonesian.values(), *vietnamese.values()):
        terms.difference_update(EVERYDAY_WORDS)
    return {"en": english, "id": indonesian, "vi": vietnamese}


def build() -> dict[str, object]:
    """`terms`: every language's terms by category (what the router matches);
    `languages`: which language each term comes from (a term can be in several)."""
    by_language = languages()
    categories = sorted({c for cats in by_language.values() for c in cats})
    terms = {
        c: sorted(set().union(*(cats.get(c, set()) for cats in by_language.values())))
        for c in categories
    }
    return {
        "version": "clinical-lexicon-v2",
        "language": "en,id,vi",
        "note": "Built by tools/build_clinical_lexicon.py; do not edit by hand.",
        "terms": terms,
        "not_clinical": sorted(_terms(NOT_CLINICAL_PHRASES)),
        "languages": {
            lang: sorted(set().union(*cats.values())) for lang, cats in by_language.items()
        },
    }


def main() -> None:
    OUTPUT.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
