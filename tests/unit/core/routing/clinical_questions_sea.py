"""Indonesian and Vietnamese questions for the refusal tests.

Written for the tests (not used to build the lexicon): the common conditions of the
region asked in a few ways, then questions in a health worker's or carer's own words;
and out-of-scope questions (weather, football, recipes, phones...) that must still be
refused.
"""

from __future__ import annotations

ID_CONDITIONS = (
    "demam berdarah",
    "DBD",
    "malaria",
    "campak",
    "TBC",
    "tipes",
    "diare",
    "mencret",
    "cacar air",
    "kudis",
    "gizi buruk",
    "radang paru",
    "pneumonia",
    "kolera",
    "disentri",
    "leptospirosis",
    "hepatitis",
    "anemia",
    "asma",
    "darah tinggi",
    "kencing manis",
    "cacingan",
    "tetanus",
    "rabies",
    "difteri",
)

ID_TEMPLATES = (
    "Apa tanda-tanda {c}?",
    "Bagaimana cara mengobati {c} pada anak?",
    "Kapan pasien {c} harus dirujuk?",
    "Apakah {c} berbahaya untuk ibu hamil?",
)

ID_FREE_FORM = (
    "anak saya batuk-batuk sejak tiga hari",
    "bayi baru lahir tidak mau menyusu dan badan panas",
    "demamnya tinggi sekali sejak kemarin malam",
    "anak sesak napas dan ada tarikan dinding dada",
    "balita kejang-kejang waktu demam",
    "ibu hamil sakit kepala hebat dan penglihatan kabur",
    "berapa dosis parasetamol untuk anak 10 kg",
    "cara membuat oralit di rumah",
    "berapa lama zink diberikan untuk diare",
    "anak muntah terus dan mata cekung",
    "bayi kuning pada hari kedua",
    "pasien batuk berdahak lebih dari dua minggu",
    "keringat malam dan berat badan turun",
    "digigit anjing di kaki, apa yang harus dilakukan",
    "petani digigit ular di sawah",
    "anak mimisan dan ada bintik merah di kulit",
    "gatal-gatal di malam hari pada seluruh keluarga",
    "kapan imunisasi campak diberikan",
    "bagaimana mengukur LILA pada anak",
    "anak lemas dan tidak bisa minum",
    "perdarahan setelah melahirkan, apa yang harus dilakukan",
    "nyeri perut kanan bawah dan demam",
    "luka bakar karena air panas pada tangan anak",
    "pemberian vitamin A untuk anak campak",
    "amoksisilin untuk radang paru pada balita",
)

VI_CONDITIONS = (
    "sốt xuất huyết",
    "sốt rét",
    "sởi",
    "lao phổi",
    "thương hàn",
    "tiêu chảy",
    "thủy đậu",
    "ghẻ",
    "suy dinh dưỡng",
    "viêm phổi",
    "bệnh tả",
    "kiết lỵ",
    "viêm gan B",
    "thiếu máu",
    "hen suyễn",
    "tăng huyết áp",
    "đái tháo đường",
    "tay chân miệng",
    "viêm màng não",
    "uốn ván",
    "bệnh dại",
    "bạch hầu",
    "ho gà",
    "sốt mò",
    "viêm não Nhật Bản",
)

VI_TEMPLATES = (
    "Dấu hiệu của {c} là gì?",
    "Điều trị {c} ở trẻ em như thế nào?",
    "Khi nào cần chuyển tuyến bệnh nhân {c}?",
    "{c} có nguy hiểm cho phụ nữ có thai không?",
)

VI_FREE_FORM = (
    "trẻ bị ho và khó thở ba ngày nay",
    "trẻ sơ sinh bỏ bú và sốt cao",
    "con tôi bị co giật khi sốt",
    "trẻ thở nhanh và rút lõm lồng ngực",
    "bà bầu đau đầu nhiều và nhìn mờ",
    "liều paracetamol cho trẻ 10 kg là bao nhiêu",
    "cách pha oresol tại nhà",
    "cho uống kẽm bao lâu khi bị tiêu chảy",
    "trẻ nôn hết mọi thứ và mắt trũng",
    "trẻ sơ sinh bị vàng da ngày thứ hai",
    "ho có đờm hơn hai tuần",
    "đổ mồ hôi đêm và sụt cân",
    "bị chó cắn ở chân thì phải làm gì",
    "nông dân bị rắn cắn ngoài ruộng",
    "trẻ chảy máu cam và có chấm xuất huyết",
    "ngứa nhiều về đêm cả nhà",
    "khi nào tiêm vắc xin sởi",
    "cách đo vòng cánh tay cho trẻ",
    "trẻ li bì và không uống được",
    "băng huyết sau sinh phải xử trí thế nào",
    "đau bụng dưới bên phải và sốt",
    "trẻ bị bỏng nước sôi ở tay",
    "cho trẻ bị sởi uống vitamin A khi nào",
    "amoxicillin cho trẻ viêm phổi",
    "tre bi sot xuat huyet co nguy hiem khong",
)

ID_OUT_OF_SCOPE = (
    "Bagaimana cuaca di Jakarta besok?",
    "Apakah hari ini akan hujan?",
    "Siapa juara Liga Inggris tahun ini?",
    "Jam berapa pertandingan sepak bola Indonesia melawan Vietnam?",
    "Resep rendang sapi yang enak",
    "Cara memasak nasi goreng",
    "Bagaimana cara memperbaiki layar ponsel yang retak?",
    "HP saya tidak bisa dicas, kenapa?",
    "Berapa harga beras di pasar sekarang?",
    "Bagaimana cara membuat kue lapis?",
    "Kapan musim tanam padi dimulai?",
    "Lagu apa yang paling populer minggu ini?",
    "Bagaimana cara mengganti ban motor?",
    "Berapa kurs rupiah terhadap dolar hari ini?",
    "Siapa presiden pertama Indonesia?",
    "Cara memasang aplikasi di laptop",
    "Film apa yang bagus ditonton malam ini?",
    "Bagaimana cara menanam cabai di pot?",
    "Berapa jarak dari Surabaya ke Malang?",
    "Bagaimana cara membuka rekening bank?",
    "Kapan libur sekolah dimulai?",
    "Apa ibu kota Australia?",
)

VI_OUT_OF_SCOPE = (
    "Thời tiết Hà Nội ngày mai thế nào?",
    "Hôm nay có mưa không?",
    "Đội nào vô địch giải bóng đá Ngoại hạng Anh năm nay?",
    "Mấy giờ đội tuyển Việt Nam đá với Thái Lan?",
    "Cách nấu phở bò ngon",
    "Công thức làm bánh xèo",
    "Cách sửa màn hình điện thoại bị vỡ",
    "Điện thoại của tôi không sạc được pin, tại sao?",
    "Giá lúa hôm nay bao nhiêu?",
    "Cách làm nem rán",
    "Khi nào bắt đầu vụ lúa mùa?",
    "Bài hát nào đang nổi tiếng tuần này?",
    "Cách thay lốp xe máy",
    "Tỷ giá đô la hôm nay là bao nhiêu?",
    "Ai là chủ tịch nước đầu tiên của Việt Nam?",
    "Cách cài ứng dụng trên máy tính",
    "Tối nay nên xem phim gì?",
    "Cách trồng rau muống trong chậu",
    "Từ Hà Nội đến Hải Phòng bao xa?",
    "Cách mở tài khoản ngân hàng",
    "Khi nào học sinh được nghỉ hè?",
    "Thủ đô của Úc là gì?",
)


def indonesian_questions() -> list[str]:
    """Every Indonesian clinical question (more than 100)."""
    templated = [t.format(c=c) for c in ID_CONDITIONS for t in ID_TEMPLATES]
    return [*templated, *ID_FREE_FORM]


def vietnamese_questions() -> list[str]:
    """Every Vietnamese clinical question (more than 100)."""
    templated = [t.format(c=c) for c in VI_CONDITIONS for t in VI_TEMPLATES]
    return [*templated, *VI_FREE_FORM]
