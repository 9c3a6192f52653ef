<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="en">
<context>
    <name>AddUserDialog</name>
    <message>
        <source>Add a user</source>
        <translation>Tambah pengguna</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nama pengguna</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Nama lengkap</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Peran</translation>
    </message>
    <message>
        <source>Password or PIN</source>
        <translation>Kata sandi atau PIN</translation>
    </message>
    <message>
        <source>Again</source>
        <translation>Ulangi</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>Nama &amp;pengguna</translation>
    </message>
    <message>
        <source>&amp;Full name</source>
        <translation>Nama &amp;lengkap</translation>
    </message>
    <message>
        <source>&amp;Role</source>
        <translation>P&amp;eran</translation>
    </message>
    <message>
        <source>&amp;Password or PIN</source>
        <translation>&amp;Kata sandi atau PIN</translation>
    </message>
    <message>
        <source>&amp;Again</source>
        <translation>&amp;Ulangi</translation>
    </message>
    <message>
        <source>Enter a user name.</source>
        <translation>Isi nama pengguna.</translation>
    </message>
    <message>
        <source>Type the same password twice.</source>
        <translation>Ketik kata sandi yang sama dua kali.</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>The first clinic admin</source>
        <translation>Admin klinik pertama</translation>
    </message>
    <message>
        <source>The admin adds health workers, resets passwords and changes settings. Use a password of 8+ characters or a PIN of 6+ digits.</source>
        <translation>Admin menambah tenaga kesehatan, mengatur ulang kata sandi dan mengubah pengaturan. Pakai kata sandi minimal 8 karakter atau PIN minimal 6 angka.</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Buat</translation>
    </message>
    <message>
        <source>Admin user name</source>
        <translation>Nama pengguna admin</translation>
    </message>
    <message>
        <source>Admin full name</source>
        <translation>Nama lengkap admin</translation>
    </message>
    <message>
        <source>Admin password</source>
        <translation>Kata sandi admin</translation>
    </message>
    <message>
        <source>Admin password again</source>
        <translation>Ulangi kata sandi admin</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>Nama &amp;pengguna</translation>
    </message>
    <message>
        <source>&amp;Full name</source>
        <translation>Nama &amp;lengkap</translation>
    </message>
    <message>
        <source>&amp;Password or PIN</source>
        <translation>&amp;Kata sandi atau PIN</translation>
    </message>
    <message>
        <source>&amp;Again</source>
        <translation>&amp;Ulangi</translation>
    </message>
    <message>
        <source>Creating the encrypted database and your account…</source>
        <translation>Membuat basis data terenkripsi dan akun Anda…</translation>
    </message>
</context>
<context>
    <name>AgeUnits</name>
    <message numerus="yes">
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n tahun</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n month(s)</source>
        <translation>
            <numerusform>%n bulan</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <source>Starting…</source>
        <translation>Memulai…</translation>
    </message>
    <message>
        <source>Opening the clinic&apos;s database.</source>
        <translation>Membuka basis data klinik.</translation>
    </message>
    <message>
        <source>MedAssist cannot start</source>
        <translation>MedAssist tidak dapat dimulai</translation>
    </message>
</context>
<context>
    <name>AppStatusBar</name>
    <message>
        <source>Model status</source>
        <translation>Status model</translation>
    </message>
    <message>
        <source>Network status</source>
        <translation>Status jaringan</translation>
    </message>
    <message>
        <source>Sync status</source>
        <translation>Status sinkronisasi</translation>
    </message>
    <message>
        <source>Signed-in user</source>
        <translation>Pengguna yang masuk</translation>
    </message>
    <message>
        <source>Degraded capabilities</source>
        <translation>Fungsi yang terbatas</translation>
    </message>
    <message>
        <source>Model: loading {percent}%</source>
        <translation>Model: memuat {percent}%</translation>
    </message>
    <message>
        <source>Model: ready ({name})</source>
        <translation>Model: siap ({name})</translation>
    </message>
    <message>
        <source>Model: ready</source>
        <translation>Model: siap</translation>
    </message>
    <message>
        <source>Model unavailable — rules only: {reason}</source>
        <translation>Model tidak tersedia — hanya aturan: {reason}</translation>
    </message>
    <message>
        <source>Model: not loaded</source>
        <translation>Model: belum dimuat</translation>
    </message>
    <message>
        <source>Network: connected</source>
        <translation>Jaringan: terhubung</translation>
    </message>
    <message>
        <source>Network: offline (the app works; sync waits)</source>
        <translation>Jaringan: luring (aplikasi tetap jalan; sinkronisasi menunggu)</translation>
    </message>
    <message>
        <source>Network: unknown</source>
        <translation>Jaringan: tidak diketahui</translation>
    </message>
    <message>
        <source>Whether this computer has a network connection. Everything except sync and cloud answers works without one; whether the sync server was reached is shown by the sync status.</source>
        <translation>Apakah komputer ini terhubung ke jaringan. Semua fungsi kecuali sinkronisasi dan jawaban cloud bekerja tanpa jaringan; status sinkronisasi menunjukkan apakah server sinkronisasi terjangkau.</translation>
    </message>
    <message>
        <source>Sync: not set up</source>
        <translation>Sinkronisasi: belum diatur</translation>
    </message>
    <message>
        <source>Sync: not tried yet</source>
        <translation>Sinkronisasi: belum dicoba</translation>
    </message>
    <message>
        <source>Sync: server reached</source>
        <translation>Sinkronisasi: server terhubung</translation>
    </message>
    <message>
        <source>Sync: server not reached</source>
        <translation>Sinkronisasi: server tidak terhubung</translation>
    </message>
    <message>
        <source>No sync server is set up: everything is kept on this computer only. A clinic admin can set one up in Settings → Sync and cloud.</source>
        <translation>Belum ada server sinkronisasi: semua data hanya disimpan di komputer ini. Admin klinik dapat mengaturnya di Pengaturan → Sinkronisasi dan cloud.</translation>
    </message>
    <message>
        <source>A sync server is set up; the first sync of this session has not run yet.</source>
        <translation>Server sinkronisasi sudah diatur; sinkronisasi pertama sesi ini belum berjalan.</translation>
    </message>
    <message>
        <source>The last sync reached the clinic&apos;s sync server and exchanged the changes.</source>
        <translation>Sinkronisasi terakhir terhubung ke server klinik dan bertukar perubahan.</translation>
    </message>
    <message>
        <source>The last sync did not reach the clinic&apos;s sync server. The app works without it; changes wait here and are sent at the next successful sync.</source>
        <translation>Sinkronisasi terakhir tidak terhubung ke server klinik. Aplikasi tetap berjalan tanpa server; perubahan menunggu di sini dan dikirim pada sinkronisasi berikutnya yang berhasil.</translation>
    </message>
    <message>
        <source>Signed in: {user}</source>
        <translation>Masuk: {user}</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Belum masuk</translation>
    </message>
    <message>
        <source>local model</source>
        <translation>model lokal</translation>
    </message>
    <message>
        <source>cloud sync</source>
        <translation>sinkronisasi cloud</translation>
    </message>
    <message>
        <source>cloud answers</source>
        <translation>jawaban cloud</translation>
    </message>
    <message>
        <source>semantic search</source>
        <translation>pencarian makna</translation>
    </message>
    <message>
        <source>daily backup</source>
        <translation>cadangan harian</translation>
    </message>
    <message>
        <source>monitoring</source>
        <translation>pemantauan</translation>
    </message>
    <message>
        <source>audit copy on the server</source>
        <translation>salinan audit di server</translation>
    </message>
    <message>
        <source>Degraded: {names}</source>
        <translation>Terbatas: {names}</translation>
    </message>
</context>
<context>
    <name>AskPage</name>
    <message>
        <source>Ask a question</source>
        <translation>Ajukan pertanyaan</translation>
    </message>
    <message>
        <source>Ask a general question (no patient details are sent)</source>
        <translation>Ajukan pertanyaan umum (data pasien tidak dikirim)</translation>
    </message>
    <message>
        <source>Ask about a guideline or treatment…</source>
        <translation>Tanyakan tentang pedoman atau pengobatan…</translation>
    </message>
</context>
<context>
    <name>AuditTab</name>
    <message>
        <source>any user</source>
        <translation>semua pengguna</translation>
    </message>
    <message>
        <source>any action, or the start of one: case.</source>
        <translation>semua tindakan, atau awalnya: case.</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Tampilkan</translation>
    </message>
    <message>
        <source>&amp;Verify the chain</source>
        <translation>&amp;Periksa rantai</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>E&amp;kspor…</translation>
    </message>
    <message>
        <source>Audit entries</source>
        <translation>Catatan audit</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Waktu (UTC)</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Pengguna</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Tindakan</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Pada</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Hasil</translation>
    </message>
    <message>
        <source>U&amp;ser</source>
        <translation>Pe&amp;ngguna</translation>
    </message>
    <message>
        <source>&amp;Action</source>
        <translation>&amp;Tindakan</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>&amp;Dari</translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation>&amp;Sampai</translation>
    </message>
    <message>
        <source>(system)</source>
        <translation>(sistem)</translation>
    </message>
    <message numerus="yes">
        <source>%n entry(ies) (the newest {shown} at most).</source>
        <translation>
            <numerusform>%n catatan (paling banyak {shown} terbaru).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The audit trail is intact (%n entry(ies) checked).</source>
        <translation>
            <numerusform>Jejak audit utuh (%n catatan diperiksa).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n entry(ies).</source>
        <translation>
            <numerusform>%n catatan diekspor.</numerusform>
        </translation>
    </message>
    <message>
        <source>The audit trail is BROKEN at entry {id}: {reason}</source>
        <translation>Jejak audit RUSAK pada catatan {id}: {reason}</translation>
    </message>
    <message>
        <source>Export the audit trail</source>
        <translation>Ekspor jejak audit</translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl)</source>
        <translation>Baris JSON (*.jsonl)</translation>
    </message>
</context>
<context>
    <name>AvpuScale</name>
    <message>
        <source>A: alert</source>
        <translation>A: sadar penuh (alert)</translation>
    </message>
    <message>
        <source>V: responds to voice</source>
        <translation>V: respons terhadap suara</translation>
    </message>
    <message>
        <source>P: responds to pain</source>
        <translation>P: respons terhadap nyeri</translation>
    </message>
    <message>
        <source>U: unresponsive</source>
        <translation>U: tidak ada respons</translation>
    </message>
</context>
<context>
    <name>BackgroundLibrary</name>
    <message>
        <source>The library could not be prepared (see the log).</source>
        <translation>Pustaka tidak dapat disiapkan (lihat log).</translation>
    </message>
    <message>
        <source>Library ready</source>
        <translation>Pustaka siap</translation>
    </message>
</context>
<context>
    <name>BackupTab</name>
    <message>
        <source>Backup folder</source>
        <translation>Folder cadangan</translation>
    </message>
    <message>
        <source>A folder on a USB stick or another disk</source>
        <translation>Folder di flashdisk USB atau disk lain</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Pilih…</translation>
    </message>
    <message>
        <source>Backups to keep</source>
        <translation>Jumlah cadangan yang disimpan</translation>
    </message>
    <message>
        <source>Back up &amp;every day when the folder is there</source>
        <translation>Cadangkan s&amp;etiap hari jika folder tersedia</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Simpan</translation>
    </message>
    <message>
        <source>Back up &amp;now</source>
        <translation>Cadangkan &amp;sekarang</translation>
    </message>
    <message>
        <source>&amp;Folder</source>
        <translation>&amp;Folder</translation>
    </message>
    <message>
        <source>&amp;Keep the newest</source>
        <translation>Simpan yang &amp;terbaru</translation>
    </message>
    <message>
        <source>No backup has been made yet.</source>
        <translation>Belum ada cadangan.</translation>
    </message>
    <message>
        <source>Last backup: {when} ({name})</source>
        <translation>Cadangan terakhir: {when} ({name})</translation>
    </message>
    <message>
        <source>Choose the backup folder</source>
        <translation>Pilih folder cadangan</translation>
    </message>
    <message>
        <source>Choose the backup folder first.</source>
        <translation>Pilih folder cadangan dulu.</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>Mencadangkan…</translation>
    </message>
    <message>
        <source>Backup written to {folder}.</source>
        <translation>Cadangan disimpan di {folder}.</translation>
    </message>
    <message>
        <source>Write down the recovery key</source>
        <translation>Catat kunci pemulihan</translation>
    </message>
    <message>
        <source>These backups open on another computer only with this recovery key. Write it down now and keep it away from this laptop: it is not shown again.

{key}</source>
        <translation>Cadangan ini hanya bisa dibuka di komputer lain dengan kunci pemulihan ini. Catat sekarang dan simpan jauh dari laptop ini: kunci tidak ditampilkan lagi.

{key}</translation>
    </message>
</context>
<context>
    <name>CaseFormFields</name>
    <message>
        <source>New case</source>
        <translation>Kasus baru</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Simpan</translation>
    </message>
    <message>
        <source>Save the case (Ctrl+S)</source>
        <translation>Simpan kasus (Ctrl+S)</translation>
    </message>
    <message>
        <source>← &amp;Back to cases</source>
        <translation>← &amp;Kembali ke daftar kasus</translation>
    </message>
    <message>
        <source>Back to the case list (Esc)</source>
        <translation>Kembali ke daftar kasus (Esc)</translation>
    </message>
    <message>
        <source>Referral summary (PDF)…</source>
        <translation>Ringkasan rujukan (PDF)…</translation>
    </message>
    <message>
        <source>English copy for the hospital</source>
        <translation>Salinan bahasa Inggris untuk rumah sakit</translation>
    </message>
    <message>
        <source>Add an English copy of the referral summary on a new page</source>
        <translation>Tambahkan salinan ringkasan rujukan dalam bahasa Inggris di halaman baru</translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation>Tidak dicatat</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Perempuan</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Laki-laki</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Lainnya</translation>
    </message>
    <message>
        <source>Pregnant</source>
        <translation>Hamil</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Pasien</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nama:</translation>
    </message>
    <message>
        <source>Clinic &amp;id:</source>
        <translation>&amp;ID klinik:</translation>
    </message>
    <message>
        <source>Age in years</source>
        <translation>Umur dalam tahun</translation>
    </message>
    <message>
        <source>Age, months beyond the years</source>
        <translation>Umur, bulan di luar tahun</translation>
    </message>
    <message>
        <source>&amp;Age:</source>
        <translation>&amp;Umur:</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Jenis kelamin</translation>
    </message>
    <message>
        <source>Se&amp;x:</source>
        <translation>&amp;Jenis kelamin:</translation>
    </message>
    <message>
        <source>Vital signs (leave empty when not measured)</source>
        <translation>Tanda vital (kosongkan jika tidak diukur)</translation>
    </message>
    <message>
        <source>How long (days)</source>
        <translation>Berapa lama (hari)</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source> d</source>
        <translation> hr</translation>
    </message>
    <message>
        <source>{sign}, days</source>
        <translation>{sign}, hari</translation>
    </message>
    <message>
        <source>Main complaint</source>
        <translation>Keluhan utama</translation>
    </message>
    <message>
        <source>Main complaint, in the carer&apos;s words</source>
        <translation>Keluhan utama, menurut kata pengasuh</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Catatan</translation>
    </message>
    <message>
        <source>Complaint:</source>
        <translation>Keluhan:</translation>
    </message>
</context>
<context>
    <name>CaseFormPage</name>
    <message>
        <source>Case</source>
        <translation>Kasus</translation>
    </message>
    <message>
        <source>Enter signs and vital signs to triage</source>
        <translation>Isi tanda dan tanda vital untuk triase</translation>
    </message>
    <message numerus="yes">
        <source>Age %n year(s) {problem}</source>
        <translation>
            <numerusform>Umur %n tahun {problem}</numerusform>
        </translation>
    </message>
    <message>
        <source>{field} {value} {problem}</source>
        <translation>{field} {value} {problem}</translation>
    </message>
    <message>
        <source>New case</source>
        <translation>Kasus baru</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Memuat…</translation>
    </message>
    <message>
        <source>Case #{n}</source>
        <translation>Kasus #{n}</translation>
    </message>
    <message numerus="yes">
        <source>%n question(s) asked earlier on this case; the latest is shown.</source>
        <translation>
            <numerusform>%n pertanyaan sudah diajukan pada kasus ini; yang terbaru ditampilkan.</numerusform>
        </translation>
    </message>
    <message>
        <source>Restored unsaved changes from {when}.</source>
        <translation>Perubahan yang belum disimpan dari {when} dipulihkan.</translation>
    </message>
    <message>
        <source>Correct the fields marked in red before saving.</source>
        <translation>Perbaiki isian bertanda merah sebelum menyimpan.</translation>
    </message>
    <message>
        <source>Enter the patient&apos;s name before saving.</source>
        <translation>Isi nama pasien sebelum menyimpan.</translation>
    </message>
    <message>
        <source>Saved ({level}).</source>
        <translation>Disimpan ({level}).</translation>
    </message>
    <message>
        <source>Complete the patient&apos;s name and correct fields before a referral.</source>
        <translation>Lengkapi nama pasien dan perbaiki isian sebelum merujuk.</translation>
    </message>
    <message>
        <source>Save referral summary</source>
        <translation>Simpan ringkasan rujukan</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Berkas PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Referral summary saved to {path}.</source>
        <translation>Ringkasan rujukan disimpan di {path}.</translation>
    </message>
</context>
<context>
    <name>CaseListPage</name>
    <message>
        <source>Cases</source>
        <translation>Kasus</translation>
    </message>
    <message>
        <source>Search cases</source>
        <translation>Cari kasus</translation>
    </message>
    <message>
        <source>Search by name, clinic id or #case number</source>
        <translation>Cari nama, ID klinik atau #nomor kasus</translation>
    </message>
    <message>
        <source>&amp;New case</source>
        <translation>Kasus &amp;baru</translation>
    </message>
    <message>
        <source>Start a new case (Ctrl+N)</source>
        <translation>Mulai kasus baru (Ctrl+N)</translation>
    </message>
    <message>
        <source>Case list</source>
        <translation>Daftar kasus</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Pasien</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Tanggal</translation>
    </message>
    <message>
        <source>Triage</source>
        <translation>Triase</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Memuat…</translation>
    </message>
    <message numerus="yes">
        <source>%n case(s)</source>
        <translation>
            <numerusform>%n kasus</numerusform>
        </translation>
    </message>
    <message>
        <source>EMERGENCY</source>
        <translation>GAWAT DARURAT</translation>
    </message>
    <message>
        <source>URGENT</source>
        <translation>MENDESAK</translation>
    </message>
    <message>
        <source>ROUTINE</source>
        <translation>RUTIN</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change your password</source>
        <translation>Ganti kata sandi Anda</translation>
    </message>
    <message>
        <source>An admin reset your password. Choose your own before you continue.</source>
        <translation>Admin mengatur ulang kata sandi Anda. Pilih kata sandi sendiri sebelum melanjutkan.</translation>
    </message>
    <message>
        <source>Use 8+ characters, or a PIN of 6+ digits.</source>
        <translation>Pakai minimal 8 karakter, atau PIN minimal 6 angka.</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>Kata sandi sekarang</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Kata sandi baru</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>Ulangi kata sandi baru</translation>
    </message>
    <message>
        <source>&amp;Current password</source>
        <translation>Kata sandi &amp;sekarang</translation>
    </message>
    <message>
        <source>&amp;New password</source>
        <translation>Kata sandi &amp;baru</translation>
    </message>
    <message>
        <source>&amp;Again</source>
        <translation>&amp;Ulangi</translation>
    </message>
    <message>
        <source>&amp;Change password</source>
        <translation>&amp;Ganti kata sandi</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>&amp;Keluar</translation>
    </message>
    <message>
        <source>The two new passwords are different.</source>
        <translation>Kedua kata sandi baru berbeda.</translation>
    </message>
</context>
<context>
    <name>CitationDialog</name>
    <message>
        <source>Source</source>
        <translation>Sumber</translation>
    </message>
    <message>
        <source>Cited passage</source>
        <translation>Kutipan</translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation>(tanpa judul)</translation>
    </message>
    <message>
        <source>Section:</source>
        <translation>Bagian:</translation>
    </message>
    <message>
        <source>Page:</source>
        <translation>Halaman:</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>Sumber:</translation>
    </message>
    <message>
        <source>Passage text</source>
        <translation>Teks kutipan</translation>
    </message>
    <message>
        <source>The passage text was not kept with this answer.</source>
        <translation>Teks kutipan tidak disimpan bersama jawaban ini.</translation>
    </message>
</context>
<context>
    <name>ClinicPage</name>
    <message>
        <source>Welcome to {app}</source>
        <translation>Selamat datang di {app}</translation>
    </message>
    <message>
        <source>Let us set up this computer for your clinic. It takes a few minutes; nothing leaves this computer.</source>
        <translation>Mari siapkan komputer ini untuk klinik Anda. Butuh beberapa menit; tidak ada data yang keluar dari komputer ini.</translation>
    </message>
    <message>
        <source>Clinic id</source>
        <translation>ID klinik</translation>
    </message>
    <message>
        <source>e.g. kh-pursat-02</source>
        <translation>mis. kh-pursat-02</translation>
    </message>
    <message>
        <source>Clinic name</source>
        <translation>Nama klinik</translation>
    </message>
    <message>
        <source>e.g. Pursat Provincial Health Centre</source>
        <translation>mis. Puskesmas Pursat</translation>
    </message>
    <message>
        <source>The clinic id is a short code (letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;) that names this clinic&apos;s data, also when it is shared; it cannot change later. The name is shown in the title.</source>
        <translation>ID klinik adalah kode pendek (huruf, angka, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;) untuk data klinik ini, juga saat dibagikan; tidak bisa diubah nanti. Nama klinik tampil di judul.</translation>
    </message>
    <message>
        <source>Clinic &amp;id</source>
        <translation>&amp;ID klinik</translation>
    </message>
    <message>
        <source>Clinic na&amp;me</source>
        <translation>Na&amp;ma klinik</translation>
    </message>
    <message>
        <source>That character cannot be used in a clinic id and was left out: use letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;.</source>
        <translation>Karakter itu tidak boleh dipakai di ID klinik dan dihapus: pakai huruf, angka, &apos;.&apos;, &apos;_&apos; atau &apos;-&apos;.</translation>
    </message>
</context>
<context>
    <name>ConflictsTab</name>
    <message>
        <source>A record changed on this computer and elsewhere (on the server or another computer of the clinic) since the last sync. Compare both versions and keep one; the other is removed from the server. Fields that differ are in bold.</source>
        <translation>Sebuah catatan berubah di komputer ini dan di tempat lain (di server atau komputer lain di klinik) sejak sinkronisasi terakhir. Bandingkan kedua versi dan simpan salah satunya; yang lain dihapus dari server. Isian yang berbeda dicetak tebal.</translation>
    </message>
    <message>
        <source>Open sync conflicts</source>
        <translation>Konflik sinkronisasi yang belum diselesaikan</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Catatan</translation>
    </message>
    <message>
        <source>Found (UTC)</source>
        <translation>Ditemukan (UTC)</translation>
    </message>
    <message>
        <source>Both versions, field by field</source>
        <translation>Kedua versi, per isian</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Isian</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>Komputer ini</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>Muat &amp;ulang</translation>
    </message>
    <message>
        <source>Keep &amp;this computer&apos;s version</source>
        <translation>Simpan &amp;versi komputer ini</translation>
    </message>
    <message>
        <source>Keep the &amp;server&apos;s version</source>
        <translation>Simpan versi &amp;server</translation>
    </message>
    <message>
        <source>No open sync conflicts.</source>
        <translation>Tidak ada konflik sinkronisasi.</translation>
    </message>
    <message>
        <source>(not set)</source>
        <translation>(tidak diisi)</translation>
    </message>
    <message>
        <source>This computer&apos;s copy of that version is no longer kept.</source>
        <translation>Salinan versi itu di komputer ini tidak disimpan lagi.</translation>
    </message>
    <message>
        <source>Settling the conflict with the server…</source>
        <translation>Menyelesaikan konflik dengan server…</translation>
    </message>
    <message>
        <source>{record}: this computer&apos;s version was kept.</source>
        <translation>{record}: versi komputer ini disimpan.</translation>
    </message>
    <message>
        <source>{record}: the server&apos;s version was kept.</source>
        <translation>{record}: versi server disimpan.</translation>
    </message>
</context>
<context>
    <name>ConnectionsTab</name>
    <message>
        <source>&amp;Sync with the clinic server</source>
        <translation>&amp;Sinkronkan dengan server klinik</translation>
    </message>
    <message>
        <source>Sync server address</source>
        <translation>Alamat server sinkronisasi</translation>
    </message>
    <message>
        <source>Sync database name</source>
        <translation>Nama basis data sinkronisasi</translation>
    </message>
    <message>
        <source>Sync user</source>
        <translation>Pengguna sinkronisasi</translation>
    </message>
    <message>
        <source>Sync password</source>
        <translation>Kata sandi sinkronisasi</translation>
    </message>
    <message>
        <source>Save s&amp;ync settings</source>
        <translation>Simpan pengaturan s&amp;inkronisasi</translation>
    </message>
    <message>
        <source>Ask a &amp;cloud model when online</source>
        <translation>Tanya model &amp;cloud saat daring</translation>
    </message>
    <message>
        <source>Cloud endpoint address</source>
        <translation>Alamat endpoint cloud</translation>
    </message>
    <message>
        <source>Cloud model name</source>
        <translation>Nama model cloud</translation>
    </message>
    <message>
        <source>Cloud API key</source>
        <translation>Kunci API cloud</translation>
    </message>
    <message>
        <source>Save c&amp;loud settings</source>
        <translation>Simpan pengaturan c&amp;loud</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sinkronisasi</translation>
    </message>
    <message>
        <source>Server &amp;address</source>
        <translation>&amp;Alamat server</translation>
    </message>
    <message>
        <source>&amp;Database</source>
        <translation>&amp;Basis data</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>&amp;Pengguna</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>&amp;Kata sandi</translation>
    </message>
    <message>
        <source>Cloud answers</source>
        <translation>Jawaban cloud</translation>
    </message>
    <message>
        <source>&amp;Endpoint</source>
        <translation>&amp;Endpoint</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>&amp;Model</translation>
    </message>
    <message>
        <source>API &amp;key</source>
        <translation>&amp;Kunci API</translation>
    </message>
    <message>
        <source>Only https:// addresses are accepted. Passwords and API keys are kept in this computer&apos;s keyring, never in the settings file. Patient names are removed before a question goes to a cloud model.</source>
        <translation>Hanya alamat https:// yang diterima. Kata sandi dan kunci API disimpan di keyring komputer ini, tidak pernah di berkas pengaturan. Nama pasien dihapus sebelum pertanyaan dikirim ke model cloud.</translation>
    </message>
    <message>
        <source>stored in the keyring — leave empty to keep it</source>
        <translation>tersimpan di keyring — kosongkan untuk mempertahankan</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>belum diisi</translation>
    </message>
</context>
<context>
    <name>ConsultPanel</name>
    <message>
        <source>Question</source>
        <translation>Pertanyaan</translation>
    </message>
    <message>
        <source>Ask about this patient or a guideline…</source>
        <translation>Tanyakan tentang pasien ini atau pedoman…</translation>
    </message>
    <message>
        <source>&amp;Ask</source>
        <translation>&amp;Tanya</translation>
    </message>
    <message>
        <source>Ask (Ctrl+Enter)</source>
        <translation>Tanya (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Berhenti</translation>
    </message>
    <message>
        <source>Stop the answer (Esc)</source>
        <translation>Hentikan jawaban (Esc)</translation>
    </message>
    <message>
        <source>Mark as &amp;reviewed</source>
        <translation>Tandai sudah &amp;ditinjau</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Jawaban</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>Keyakinan</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>Sumber</translation>
    </message>
    <message>
        <source>Decision support for a trained health worker. Check the sources; your clinical judgement and the triage rules come first.</source>
        <translation>Bantuan keputusan untuk tenaga kesehatan terlatih. Periksa sumbernya; penilaian klinis Anda dan aturan triase didahulukan.</translation>
    </message>
    <message>
        <source>Sources:</source>
        <translation>Sumber:</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>Sudah ditinjau</translation>
    </message>
    <message>
        <source>Answering…</source>
        <translation>Menjawab…</translation>
    </message>
    <message>
        <source>No sources found for this question.</source>
        <translation>Tidak ada sumber untuk pertanyaan ini.</translation>
    </message>
    <message>
        <source> (cached)</source>
        <translation> (tersimpan)</translation>
    </message>
    <message>
        <source>Engine: {engine}</source>
        <translation>Mesin: {engine}</translation>
    </message>
    <message>
        <source>Check: the answer suggests higher urgency ({suggested}) than the danger-sign rules ({rules}). Re-examine the patient; refer sooner if you agree.</source>
        <translation>Periksa: jawaban menyarankan tingkat lebih mendesak ({suggested}) daripada aturan tanda bahaya ({rules}). Periksa ulang pasien; rujuk lebih cepat jika Anda setuju.</translation>
    </message>
    <message>
        <source>[Stopped]</source>
        <translation>[Dihentikan]</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Dihentikan</translation>
    </message>
    <message>
        <source>Confidence: {level}</source>
        <translation>Keyakinan: {level}</translation>
    </message>
    <message>
        <source>No measured signals</source>
        <translation>Tidak ada sinyal terukur</translation>
    </message>
</context>
<context>
    <name>ConsultSession</name>
    <message>
        <source>Preparing… (loading the language model, usually under a minute)</source>
        <translation>Menyiapkan… (memuat model bahasa, biasanya kurang dari semenit)</translation>
    </message>
</context>
<context>
    <name>DetailsSection</name>
    <message>
        <source>&amp;Details</source>
        <translation>&amp;Rincian</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>Ready</source>
        <translation>Siap</translation>
    </message>
    <message>
        <source>Setup is complete and you are signed in as the clinic admin. Add the health workers&apos; accounts in Settings → Users. The model loads in the background; until it is ready, answers come from the triage rules and the knowledge base.</source>
        <translation>Penyiapan selesai dan Anda masuk sebagai admin klinik. Tambahkan akun tenaga kesehatan di Pengaturan → Pengguna. Model dimuat di latar belakang; sampai siap, jawaban berasal dari aturan triase dan pustaka pengetahuan.</translation>
    </message>
</context>
<context>
    <name>Durations</name>
    <message>
        <source>Cough</source>
        <translation>Batuk</translation>
    </message>
    <message>
        <source>Fever</source>
        <translation>Demam</translation>
    </message>
    <message>
        <source>Diarrhoea</source>
        <translation>Diare</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>An unexpected error occurred (error id {id}). Details are in the log file.</source>
        <translation>Terjadi kesalahan tak terduga (ID kesalahan {id}). Rinciannya ada di berkas log.</translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation>{h} jam {m} menit</translation>
    </message>
    <message>
        <source>{m} min {s} s</source>
        <translation>{m} menit {s} detik</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s} detik</translation>
    </message>
</context>
<context>
    <name>ExtraCaseFields</name>
    <message>
        <source>Newborn, pregnancy, glucose and consciousness</source>
        <translation>Bayi baru lahir, kehamilan, gula darah dan kesadaran</translation>
    </message>
    <message>
        <source>Age in days (babies under 2 months)</source>
        <translation>Umur dalam hari (bayi di bawah 2 bulan)</translation>
    </message>
    <message>
        <source> wk</source>
        <translation> mgg</translation>
    </message>
    <message>
        <source>Weeks of pregnancy</source>
        <translation>Usia kehamilan (minggu)</translation>
    </message>
    <message>
        <source>Gave birth in the last 6 weeks</source>
        <translation>Melahirkan dalam 6 minggu terakhir</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n hari</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n hari lalu</numerusform>
        </translation>
    </message>
    <message>
        <source>today</source>
        <translation>hari ini</translation>
    </message>
    <message>
        <source>Days since giving birth</source>
        <translation>Hari sejak melahirkan</translation>
    </message>
    <message>
        <source>Blood glucose</source>
        <translation>Gula darah</translation>
    </message>
    <message>
        <source>Blood glucose unit</source>
        <translation>Satuan gula darah</translation>
    </message>
    <message>
        <source>Conscious level (AVPU)</source>
        <translation>Tingkat kesadaran (AVPU)</translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation>Tidak dicatat</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Age in &amp;days (under 2 months):</source>
        <translation>Umur dalam &amp;hari (di bawah 2 bulan):</translation>
    </message>
    <message>
        <source>&amp;Weeks of pregnancy:</source>
        <translation>Usia &amp;kehamilan (minggu):</translation>
    </message>
    <message>
        <source>Blood &amp;glucose:</source>
        <translation>&amp;Gula darah:</translation>
    </message>
    <message>
        <source>AVP&amp;U:</source>
        <translation>AVP&amp;U:</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Welcome to {app}</source>
        <translation>Selamat datang di {app}</translation>
    </message>
    <message>
        <source>Decision support for trained health workers. It does not replace clinical judgement. Danger signs found by the triage rules always come first.</source>
        <translation>Bantuan keputusan untuk tenaga kesehatan terlatih. Tidak menggantikan penilaian klinis. Tanda bahaya yang ditemukan aturan triase selalu didahulukan.</translation>
    </message>
    <message>
        <source>Signed in as {name}.</source>
        <translation>Masuk sebagai {name}.</translation>
    </message>
</context>
<context>
    <name>KeyPage</name>
    <message>
        <source>Protecting the clinic&apos;s data</source>
        <translation>Melindungi data klinik</translation>
    </message>
    <message>
        <source>The database is encrypted. Its key will be kept in this computer&apos;s secure keyring, so nobody has to type it.</source>
        <translation>Basis data dienkripsi. Kuncinya disimpan di keyring aman komputer ini, jadi tidak perlu diketik.</translation>
    </message>
    <message>
        <source>Encryption is switched off (development settings).</source>
        <translation>Enkripsi dimatikan (pengaturan pengembangan).</translation>
    </message>
    <message>
        <source>This computer has no secure keyring for the database key.</source>
        <translation>Komputer ini tidak punya keyring aman untuk kunci basis data.</translation>
    </message>
    <message>
        <source>Choose a passphrase instead: it unlocks the database each time MedAssist starts. Without it the data cannot be read — write it down and keep it in a safe place.</source>
        <translation>Pilih frasa sandi sebagai gantinya: frasa ini membuka basis data setiap kali MedAssist dimulai. Tanpa frasa ini data tidak bisa dibaca — catat dan simpan di tempat aman.</translation>
    </message>
    <message>
        <source>Database passphrase</source>
        <translation>Frasa sandi basis data</translation>
    </message>
    <message>
        <source>Database passphrase again</source>
        <translation>Ulangi frasa sandi basis data</translation>
    </message>
    <message>
        <source>Passphrase strength</source>
        <translation>Kekuatan frasa sandi</translation>
    </message>
    <message>
        <source>&amp;Passphrase</source>
        <translation>&amp;Frasa sandi</translation>
    </message>
    <message>
        <source>&amp;Again</source>
        <translation>&amp;Ulangi</translation>
    </message>
    <message>
        <source>very weak</source>
        <translation>sangat lemah</translation>
    </message>
    <message>
        <source>weak</source>
        <translation>lemah</translation>
    </message>
    <message>
        <source>fair</source>
        <translation>cukup</translation>
    </message>
    <message>
        <source>good</source>
        <translation>baik</translation>
    </message>
    <message>
        <source>strong</source>
        <translation>kuat</translation>
    </message>
    <message>
        <source>Strength: {label}.</source>
        <translation>Kekuatan: {label}.</translation>
    </message>
    <message>
        <source>Use at least 12 characters.</source>
        <translation>Pakai minimal 12 karakter.</translation>
    </message>
    <message>
        <source>Add more words.</source>
        <translation>Tambah kata lagi.</translation>
    </message>
    <message>
        <source>Tip: four or five unrelated words are strong and easy to type.</source>
        <translation>Tip: empat atau lima kata acak itu kuat dan mudah diketik.</translation>
    </message>
    <message>
        <source>The two passphrases are different.</source>
        <translation>Kedua frasa sandi berbeda.</translation>
    </message>
</context>
<context>
    <name>KnowledgePage</name>
    <message>
        <source>Knowledge</source>
        <translation>Pengetahuan</translation>
    </message>
    <message>
        <source>Search the library</source>
        <translation>Cari di pustaka</translation>
    </message>
    <message>
        <source>Search the clinical library…</source>
        <translation>Cari di pustaka klinis…</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Cari</translation>
    </message>
    <message>
        <source>Passages found</source>
        <translation>Kutipan yang ditemukan</translation>
    </message>
    <message>
        <source>Preparing the library on this computer; the search runs when it is in.</source>
        <translation>Menyiapkan pustaka di komputer ini; pencarian berjalan setelah selesai.</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Mencari…</translation>
    </message>
    <message>
        <source>Preparing the library on this computer: {percent}%…</source>
        <translation>Menyiapkan pustaka di komputer ini: {percent}%…</translation>
    </message>
    <message>
        <source>No relevant passage: nothing in the library is close to this search.</source>
        <translation>Tidak ada kutipan yang relevan: tidak ada isi pustaka yang dekat dengan pencarian ini.</translation>
    </message>
    <message>
        <source>Nothing in the library matches this search.</source>
        <translation>Tidak ada isi pustaka yang cocok dengan pencarian ini.</translation>
    </message>
    <message>
        <source>Keyword search only: {why}</source>
        <translation>Hanya pencarian kata kunci: {why}</translation>
    </message>
    <message>
        <source>the embedding model is not loaded</source>
        <translation>model embedding belum dimuat</translation>
    </message>
    <message>
        <source>{n} passages</source>
        <translation>{n} kutipan</translation>
    </message>
</context>
<context>
    <name>KnowledgeTab</name>
    <message>
        <source>Documents in the library</source>
        <translation>Dokumen di pustaka</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Judul</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Sumber</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Tanggal</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Bahasa</translation>
    </message>
    <message>
        <source>Passages</source>
        <translation>Kutipan</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>Pustaka</translation>
    </message>
    <message>
        <source>Import &amp;files…</source>
        <translation>Impor be&amp;rkas…</translation>
    </message>
    <message>
        <source>Import a f&amp;older…</source>
        <translation>Impor &amp;folder…</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Hapus…</translation>
    </message>
    <message>
        <source>Re-&amp;embed</source>
        <translation>&amp;Embedding ulang</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>Bata&amp;l</translation>
    </message>
    <message>
        <source>Import progress</source>
        <translation>Kemajuan impor</translation>
    </message>
    <message>
        <source>Results of the last import</source>
        <translation>Hasil impor terakhir</translation>
    </message>
    <message>
        <source>starter library</source>
        <translation>pustaka awal</translation>
    </message>
    <message>
        <source>clinic</source>
        <translation>klinik</translation>
    </message>
    <message>
        <source> (needs embedding)</source>
        <translation> (perlu embedding)</translation>
    </message>
    <message>
        <source>Import documents</source>
        <translation>Impor dokumen</translation>
    </message>
    <message>
        <source>Documents (*.pdf *.md *.markdown *.txt *.html *.htm)</source>
        <translation>Dokumen (*.pdf *.md *.markdown *.txt *.html *.htm)</translation>
    </message>
    <message>
        <source>Import a folder</source>
        <translation>Impor folder</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Mengimpor…</translation>
    </message>
    <message>
        <source>not processed: {name}</source>
        <translation>tidak diproses: {name}</translation>
    </message>
    <message>
        <source>{total} file(s): {imported} imported, {replaced} replaced, {unchanged} unchanged, {failed} failed, {skipped} skipped.</source>
        <translation>{total} berkas: {imported} diimpor, {replaced} diganti, {unchanged} tidak berubah, {failed} gagal, {skipped} dilewati.</translation>
    </message>
    <message>
        <source>Cancelled: the files not processed can be imported again.</source>
        <translation>Dibatalkan: berkas yang belum diproses dapat diimpor lagi.</translation>
    </message>
    <message>
        <source>Stored without embeddings ({reason}): keyword search finds them now; Re-embed adds vectors once the model works.</source>
        <translation>Disimpan tanpa embedding ({reason}): pencarian kata kunci sudah menemukannya; Embedding ulang menambahkan vektor setelah model berfungsi.</translation>
    </message>
    <message>
        <source>{outcome}: {name} ({chunks} passages)</source>
        <translation>{outcome}: {name} ({chunks} kutipan)</translation>
    </message>
    <message>
        <source>Embedding…</source>
        <translation>Membuat embedding…</translation>
    </message>
    <message>
        <source>Embedded {embedded} passage(s) of {documents} document(s) with {model}; {remaining} still without vectors.</source>
        <translation>{embedded} kutipan dari {documents} dokumen diberi embedding dengan {model}; {remaining} masih tanpa vektor.</translation>
    </message>
    <message>
        <source>The embedding model cannot be used: {reason}</source>
        <translation>Model embedding tidak dapat digunakan: {reason}</translation>
    </message>
    <message>
        <source>Remove document</source>
        <translation>Hapus dokumen</translation>
    </message>
    <message>
        <source>Remove “{title}” from the library? Answers will no longer quote it.</source>
        <translation>Hapus “{title}” dari pustaka? Jawaban tidak akan mengutipnya lagi.</translation>
    </message>
    <message>
        <source>Removed “{title}”.</source>
        <translation>“{title}” dihapus.</translation>
    </message>
    <message>
        <source>Importing {done} of {total}: {name}</source>
        <translation>Mengimpor {done} dari {total}: {name}</translation>
    </message>
    <message>
        <source>Embedding passages: {done} of {total}</source>
        <translation>Embedding kutipan: {done} dari {total}</translation>
    </message>
    <message>
        <source>Cancelling after the current file…</source>
        <translation>Membatalkan setelah berkas ini selesai…</translation>
    </message>
</context>
<context>
    <name>LanguagePicker</name>
    <message>
        <source>Language</source>
        <translation>Bahasa</translation>
    </message>
    <message>
        <source>Same as this computer</source>
        <translation>Sama dengan komputer ini</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Bahasa</translation>
    </message>
    <message>
        <source>The language applies after MedAssist restarts.</source>
        <translation>Bahasa berlaku setelah MedAssist dimulai ulang.</translation>
    </message>
</context>
<context>
    <name>LanguageTab</name>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Simpan</translation>
    </message>
</context>
<context>
    <name>Library</name>
    <message>
        <source>Preparing the library: embedding passages {percent}%</source>
        <translation>Menyiapkan pustaka: embedding kutipan {percent}%</translation>
    </message>
    <message>
        <source>Preparing the library: {percent}%</source>
        <translation>Menyiapkan pustaka: {percent}%</translation>
    </message>
</context>
<context>
    <name>LockOverlay</name>
    <message>
        <source>Password or PIN to unlock</source>
        <translation>Kata sandi atau PIN untuk membuka</translation>
    </message>
    <message>
        <source>Password or PIN</source>
        <translation>Kata sandi atau PIN</translation>
    </message>
    <message>
        <source>Unlock message</source>
        <translation>Pesan buka kunci</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Buka</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>&amp;Keluar</translation>
    </message>
    <message>
        <source>Sign out so someone else can sign in</source>
        <translation>Keluar agar orang lain bisa masuk</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Terkunci</translation>
    </message>
    <message>
        <source>{user} is signed in.
Enter the password or PIN to continue.</source>
        <translation>{user} sedang masuk.
Masukkan kata sandi atau PIN untuk melanjutkan.</translation>
    </message>
    <message>
        <source>That password is not right. Try again.</source>
        <translation>Kata sandi salah. Coba lagi.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Too many wrong passwords: this account is locked. Try again in {time}, or ask a clinic admin to reset the password.</source>
        <translation>Terlalu banyak kata sandi salah: akun ini dikunci. Coba lagi dalam {time}, atau minta admin klinik mengatur ulang kata sandi.</translation>
    </message>
    <message>
        <source>Sign in — {app}</source>
        <translation>Masuk — {app}</translation>
    </message>
    <message>
        <source>Sign in to {clinic}</source>
        <translation>Masuk ke {clinic}</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nama pengguna</translation>
    </message>
    <message>
        <source>Password or PIN</source>
        <translation>Kata sandi atau PIN</translation>
    </message>
    <message>
        <source>Sign-in message</source>
        <translation>Pesan masuk</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>Nama &amp;pengguna</translation>
    </message>
    <message>
        <source>&amp;Password or PIN</source>
        <translation>&amp;Kata sandi atau PIN</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>&amp;Masuk</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Tutup</translation>
    </message>
    <message>
        <source>Enter your user name and password.</source>
        <translation>Masukkan nama pengguna dan kata sandi Anda.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Sedang masuk…</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Nama pengguna atau kata sandi salah.</translation>
    </message>
    <message>
        <source>You can try to sign in again.</source>
        <translation>Anda bisa mencoba masuk lagi.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Sections</source>
        <translation>Bagian</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>Beranda</translation>
    </message>
    <message>
        <source>{app} — {clinic}</source>
        <translation>{app} — {clinic}</translation>
    </message>
    <message>
        <source>Ctrl+{n}</source>
        <translation>Ctrl+{n}</translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation>&amp;Akun</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>&amp;Kunci</translation>
    </message>
    <message>
        <source>Lock the screen now (Ctrl+L)</source>
        <translation>Kunci layar sekarang (Ctrl+L)</translation>
    </message>
    <message>
        <source>&amp;Change password…</source>
        <translation>&amp;Ganti kata sandi…</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>&amp;Keluar</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Tutup</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Tampilan</translation>
    </message>
    <message>
        <source>&amp;Larger text</source>
        <translation>Teks &amp;lebih besar</translation>
    </message>
    <message>
        <source>Welcome to {app}</source>
        <translation>Selamat datang di {app}</translation>
    </message>
    <message>
        <source>Decision support for trained health workers. It does not replace clinical judgement.</source>
        <translation>Bantuan keputusan untuk tenaga kesehatan terlatih. Tidak menggantikan penilaian klinis.</translation>
    </message>
</context>
<context>
    <name>ModelImport</name>
    <message>
        <source>Imported {name}. Verified: its sha256 checksum matches the model list.</source>
        <translation>{name} diimpor. Terverifikasi: checksum sha256 cocok dengan daftar model.</translation>
    </message>
    <message>
        <source>Imported {name}. This file is not in the model list, so its sha256 checksum ({sha}) was recorded, not verified.</source>
        <translation>{name} diimpor. Berkas ini tidak ada di daftar model, jadi checksum sha256-nya ({sha}) dicatat, bukan diverifikasi.</translation>
    </message>
    <message>
        <source>The import was cancelled; nothing was changed.</source>
        <translation>Impor dibatalkan; tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>Copying and checking {file}…</source>
        <translation>Menyalin dan memeriksa {file}…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Importing a model</source>
        <translation>Mengimpor model</translation>
    </message>
</context>
<context>
    <name>ModelPage</name>
    <message>
        <source>The AI model</source>
        <translation>Model AI</translation>
    </message>
    <message>
        <source>The built-in model is ready to use. If you have a MedGemma file (for example on a USB stick), you can import it now or later in Settings.</source>
        <translation>Model bawaan siap dipakai. Jika Anda punya berkas MedGemma (misalnya di flashdisk USB), Anda bisa mengimpornya sekarang atau nanti di Pengaturan.</translation>
    </message>
    <message>
        <source>Saving the model choice…</source>
        <translation>Menyimpan pilihan model…</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <source>Models</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>&amp;Import MedGemma from a file…</source>
        <translation>&amp;Impor MedGemma dari berkas…</translation>
    </message>
    <message>
        <source>Copy a .gguf model file in (from a USB stick); its checksum is verified</source>
        <translation>Salin berkas model .gguf (dari flashdisk USB); checksum-nya diverifikasi</translation>
    </message>
    <message>
        <source>Import result</source>
        <translation>Hasil impor</translation>
    </message>
    <message>
        <source>smaller and faster</source>
        <translation>lebih kecil dan lebih cepat</translation>
    </message>
    <message>
        <source>larger, slightly more accurate</source>
        <translation>lebih besar, sedikit lebih akurat</translation>
    </message>
    <message>
        <source>{gb} GB</source>
        <translation>{gb} GB</translation>
    </message>
    <message>
        <source>built in</source>
        <translation>bawaan</translation>
    </message>
    <message>
        <source>on this computer</source>
        <translation>di komputer ini</translation>
    </message>
    <message>
        <source>not on this computer</source>
        <translation>tidak ada di komputer ini</translation>
    </message>
    <message>
        <source> — in use</source>
        <translation> — dipakai</translation>
    </message>
    <message>
        <source>Model: {name}</source>
        <translation>Model: {name}</translation>
    </message>
    <message>
        <source>Quantisation: {code}</source>
        <translation>Kuantisasi: {code}</translation>
    </message>
    <message>
        <source>Memory needed: {gb} GB</source>
        <translation>Memori yang dibutuhkan: {gb} GB</translation>
    </message>
    <message>
        <source>File: {path}</source>
        <translation>Berkas: {path}</translation>
    </message>
    <message>
        <source>SHA-256: {digest}</source>
        <translation>SHA-256: {digest}</translation>
    </message>
    <message>
        <source>Import a model file</source>
        <translation>Impor berkas model</translation>
    </message>
    <message>
        <source>GGUF model files (*.gguf);;All files (*)</source>
        <translation>Berkas model GGUF (*.gguf);;Semua berkas (*)</translation>
    </message>
    <message>
        <source>Not imported: {why}</source>
        <translation>Tidak diimpor: {why}</translation>
    </message>
</context>
<context>
    <name>ModelTab</name>
    <message>
        <source>&amp;Use the selected model</source>
        <translation>&amp;Pakai model yang dipilih</translation>
    </message>
    <message>
        <source>&amp;Load it now</source>
        <translation>&amp;Muat sekarang</translation>
    </message>
    <message>
        <source>Load the chosen model now instead of at next start</source>
        <translation>Muat model yang dipilih sekarang, bukan saat mulai berikutnya</translation>
    </message>
    <message>
        <source>loaded and ready</source>
        <translation>sudah dimuat dan siap</translation>
    </message>
    <message>
        <source>loading ({percent}%)</source>
        <translation>memuat ({percent}%)</translation>
    </message>
    <message>
        <source>unavailable: {why}</source>
        <translation>tidak tersedia: {why}</translation>
    </message>
    <message>
        <source>not loaded</source>
        <translation>belum dimuat</translation>
    </message>
    <message>
        <source>In use: {setting} — {status}.</source>
        <translation>Dipakai: {setting} — {status}.</translation>
    </message>
    <message>
        <source>Saved: MedAssist will load {name} (settings file {file}).</source>
        <translation>Disimpan: MedAssist akan memuat {name} (berkas pengaturan {file}).</translation>
    </message>
</context>
<context>
    <name>Monitoring</name>
    <message>
        <source>Port {port} on 127.0.0.1 cannot be used ({why}).</source>
        <translation>Port {port} di 127.0.0.1 tidak bisa dipakai ({why}).</translation>
    </message>
</context>
<context>
    <name>NetworkMonitor</name>
    <message>
        <source>Internet reachable</source>
        <translation>Internet terjangkau</translation>
    </message>
    <message>
        <source>No network connection</source>
        <translation>Tidak ada koneksi jaringan</translation>
    </message>
    <message>
        <source>Local network only, no internet</source>
        <translation>Hanya jaringan lokal, tanpa internet</translation>
    </message>
    <message>
        <source>Sync server: {why}</source>
        <translation>Server sinkronisasi: {why}</translation>
    </message>
    <message>
        <source>The network state cannot be read on this system</source>
        <translation>Status jaringan tidak bisa dibaca di sistem ini</translation>
    </message>
</context>
<context>
    <name>Pages</name>
    <message>
        <source>Cases</source>
        <translation>Kasus</translation>
    </message>
    <message>
        <source>Ask</source>
        <translation>Tanya</translation>
    </message>
    <message>
        <source>Knowledge</source>
        <translation>Pengetahuan</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>Beranda</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Pengaturan</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>Unlock the database — {app}</source>
        <translation>Buka basis data — {app}</translation>
    </message>
    <message>
        <source>This computer keeps the clinic&apos;s database locked with a passphrase. Enter it to open the database.</source>
        <translation>Komputer ini mengunci basis data klinik dengan frasa sandi. Masukkan frasa sandi untuk membukanya.</translation>
    </message>
    <message>
        <source>&amp;Database passphrase</source>
        <translation>&amp;Frasa sandi basis data</translation>
    </message>
    <message>
        <source>Database passphrase</source>
        <translation>Frasa sandi basis data</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Buka</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Tutup</translation>
    </message>
    <message>
        <source>Unlocking…</source>
        <translation>Membuka…</translation>
    </message>
    <message>
        <source>That passphrase does not open the database. Try again.</source>
        <translation>Frasa sandi itu tidak membuka basis data. Coba lagi.</translation>
    </message>
</context>
<context>
    <name>PolicyTab</name>
    <message>
        <source>Lock the screen after this many idle minutes</source>
        <translation>Kunci layar setelah sekian menit tidak dipakai</translation>
    </message>
    <message>
        <source> min</source>
        <translation> menit</translation>
    </message>
    <message>
        <source>Wrong passwords before an account is locked</source>
        <translation>Kata sandi salah sebelum akun dikunci</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Simpan</translation>
    </message>
    <message>
        <source>Lock the screen after &amp;idle time</source>
        <translation>Kunci layar setelah &amp;tidak dipakai</translation>
    </message>
    <message>
        <source>&amp;Wrong passwords before a lockout</source>
        <translation>Kata sandi &amp;salah sebelum dikunci</translation>
    </message>
    <message>
        <source>A locked-out account waits 5 minutes, doubling with each further lockout; an admin&apos;s password reset ends it.</source>
        <translation>Akun yang terkunci menunggu 5 menit, dua kali lipat setiap terkunci lagi; pengaturan ulang kata sandi oleh admin mengakhirinya.</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyPage</name>
    <message>
        <source>Write down the recovery key</source>
        <translation>Catat kunci pemulihan</translation>
    </message>
    <message>
        <source>If this computer breaks or is stolen, the clinic&apos;s backups can only be opened on another computer with this key. It is shown only now.</source>
        <translation>Jika komputer ini rusak atau dicuri, cadangan klinik hanya dapat dibuka di komputer lain dengan kunci ini. Kunci ini hanya ditampilkan sekarang.</translation>
    </message>
    <message>
        <source>Write it on paper (or print it) and keep it locked away, not with this computer. Anyone who has it and a backup can read the clinic&apos;s records.</source>
        <translation>Tulis di kertas (atau cetak) dan simpan di tempat terkunci, jangan bersama komputer ini. Siapa pun yang memegangnya dan sebuah cadangan dapat membaca catatan klinik.</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>Kunci pemulihan</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Cetak…</translation>
    </message>
    <message>
        <source>The last group of the recovery key</source>
        <translation>Kelompok terakhir kunci pemulihan</translation>
    </message>
    <message>
        <source>To confirm, type its &amp;last group</source>
        <translation>Untuk konfirmasi, ketik kelompok &amp;terakhirnya</translation>
    </message>
    <message>
        <source>{app} recovery key</source>
        <translation>Kunci pemulihan {app}</translation>
    </message>
    <message>
        <source>Opens this clinic&apos;s backups on another computer. Keep it locked away, not with the computer.</source>
        <translation>Membuka cadangan klinik ini di komputer lain. Simpan di tempat terkunci, jangan bersama komputer.</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <source>Reset the password of {user}</source>
        <translation>Atur ulang kata sandi {user}</translation>
    </message>
    <message>
        <source>New password or PIN</source>
        <translation>Kata sandi atau PIN baru</translation>
    </message>
    <message>
        <source>Again</source>
        <translation>Ulangi</translation>
    </message>
    <message>
        <source>They must choose their own at next sign-in</source>
        <translation>Pengguna harus memilih sendiri saat masuk berikutnya</translation>
    </message>
    <message>
        <source>&amp;New password or PIN</source>
        <translation>Kata sandi atau PIN &amp;baru</translation>
    </message>
    <message>
        <source>&amp;Again</source>
        <translation>&amp;Ulangi</translation>
    </message>
    <message>
        <source>A reset also ends a lockout.</source>
        <translation>Pengaturan ulang juga membuka akun yang terkunci.</translation>
    </message>
    <message>
        <source>Type the same password twice.</source>
        <translation>Ketik kata sandi yang sama dua kali.</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>clinic admin</source>
        <translation>admin klinik</translation>
    </message>
    <message>
        <source>health worker</source>
        <translation>tenaga kesehatan</translation>
    </message>
</context>
<context>
    <name>SessionManager</name>
    <message>
        <source>{name} ({role})</source>
        <translation>{name} ({role})</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Saved in {file}. It applies the next time MedAssist starts.</source>
        <translation>Disimpan di {file}. Berlaku saat MedAssist dimulai lagi.</translation>
    </message>
    <message>
        <source>Note: {names} set in the environment win over the file.</source>
        <translation>Catatan: {names} yang diatur di lingkungan sistem mengalahkan berkas.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings sections</source>
        <translation>Bagian pengaturan</translation>
    </message>
    <message>
        <source>&amp;Users</source>
        <translation>&amp;Pengguna</translation>
    </message>
    <message>
        <source>Sign-in and &amp;lock</source>
        <translation>Masuk dan &amp;kunci</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>&amp;Model</translation>
    </message>
    <message>
        <source>&amp;Knowledge</source>
        <translation>Pen&amp;getahuan</translation>
    </message>
    <message>
        <source>S&amp;ync and cloud</source>
        <translation>S&amp;inkronisasi dan cloud</translation>
    </message>
    <message>
        <source>Co&amp;nflicts</source>
        <translation>Ko&amp;nflik</translation>
    </message>
    <message>
        <source>&amp;Backup</source>
        <translation>&amp;Cadangan</translation>
    </message>
    <message>
        <source>Sys&amp;tem</source>
        <translation>Sis&amp;tem</translation>
    </message>
    <message>
        <source>&amp;Audit</source>
        <translation>&amp;Audit</translation>
    </message>
    <message>
        <source>Lan&amp;guage</source>
        <translation>&amp;Bahasa</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set up {app}</source>
        <translation>Siapkan {app}</translation>
    </message>
</context>
<context>
    <name>SystemFigures</name>
    <message>
        <source>{logical} threads on {physical} cores</source>
        <translation>{logical} thread pada {physical} inti</translation>
    </message>
    <message>
        <source>{logical} cores</source>
        <translation>{logical} inti</translation>
    </message>
    <message>
        <source>CPU: {cpu}% busy ({cores}); MedAssist {own}% of one core. Memory: {available} GiB free of {total} GiB; MedAssist uses {rss} MiB.</source>
        <translation>CPU: {cpu}% sibuk ({cores}); MedAssist {own}% dari satu inti. Memori: {available} GiB bebas dari {total} GiB; MedAssist memakai {rss} MiB.</translation>
    </message>
    <message>
        <source>Disk: {free} GiB free for the data.</source>
        <translation>Disk: {free} GiB bebas untuk data.</translation>
    </message>
    <message>
        <source>(no model chosen)</source>
        <translation>(belum ada model dipilih)</translation>
    </message>
    <message>
        <source>Model {model}: could not be measured ({reason}).</source>
        <translation>Model {model}: tidak dapat diukur ({reason}).</translation>
    </message>
    <message>
        <source>Model {model}: speed not measured yet on this computer (no answers written by it here yet). Use “Measure model speed” for a short test run.</source>
        <translation>Model {model}: kecepatan belum diukur di komputer ini (belum ada jawaban darinya di sini). Gunakan “Ukur kecepatan model” untuk uji singkat.</translation>
    </message>
    <message>
        <source>Model {model}: {speed} tokens per second, measured just now.</source>
        <translation>Model {model}: {speed} token per detik, baru saja diukur.</translation>
    </message>
    <message>
        <source>Model {model}: {speed} tokens per second on this computer (median of its last {count} answers here).</source>
        <translation>Model {model}: {speed} token per detik di komputer ini (median dari {count} jawaban terakhirnya di sini).</translation>
    </message>
</context>
<context>
    <name>SystemTab</name>
    <message>
        <source>Health checks</source>
        <translation>Pemeriksaan kesehatan sistem</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Pemeriksaan</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Alasan</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>md</translation>
    </message>
    <message>
        <source>&amp;Check again</source>
        <translation>&amp;Periksa lagi</translation>
    </message>
    <message>
        <source>&amp;Export diagnostics…</source>
        <translation>&amp;Ekspor diagnostik…</translation>
    </message>
    <message>
        <source>Measure model s&amp;peed</source>
        <translation>&amp;Ukur kecepatan model</translation>
    </message>
    <message>
        <source>never</source>
        <translation>belum pernah</translation>
    </message>
    <message>
        <source>MedAssist {version} (Python {python}, Qt {qt}, {system}). Last backup: {backup}.</source>
        <translation>MedAssist {version} (Python {python}, Qt {qt}, {system}). Cadangan terakhir: {backup}.</translation>
    </message>
    <message>
        <source>Recent errors:</source>
        <translation>Kesalahan terbaru:</translation>
    </message>
    <message>
        <source>No errors in the recent log.</source>
        <translation>Tidak ada kesalahan di log terbaru.</translation>
    </message>
    <message>
        <source>Measuring the model&apos;s speed (loading it first if need be)…</source>
        <translation>Mengukur kecepatan model (memuatnya dulu bila perlu)…</translation>
    </message>
    <message>
        <source>Alive</source>
        <translation>Berjalan</translation>
    </message>
    <message>
        <source>Ready to work</source>
        <translation>Siap dipakai</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Sudah dimulai</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>Program</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Basis data</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Search model</source>
        <translation>Model pencarian</translation>
    </message>
    <message>
        <source>Disk space</source>
        <translation>Ruang disk</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Memori</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Kunci</translation>
    </message>
    <message>
        <source>Fallbacks in use</source>
        <translation>Cadangan fungsi yang dipakai</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sinkronisasi</translation>
    </message>
    <message>
        <source>Database version</source>
        <translation>Versi basis data</translation>
    </message>
    <message>
        <source>Starter library</source>
        <translation>Pustaka awal</translation>
    </message>
    <message>
        <source>healthy</source>
        <translation>sehat</translation>
    </message>
    <message>
        <source>degraded</source>
        <translation>terbatas</translation>
    </message>
    <message>
        <source>unhealthy</source>
        <translation>bermasalah</translation>
    </message>
    <message>
        <source>Save diagnostics for support</source>
        <translation>Simpan diagnostik untuk dukungan teknis</translation>
    </message>
    <message>
        <source>Zip files (*.zip)</source>
        <translation>Berkas zip (*.zip)</translation>
    </message>
    <message>
        <source>Writing the diagnostics…</source>
        <translation>Menulis diagnostik…</translation>
    </message>
    <message>
        <source>Saved {path} ({size} KiB). It holds no patient names or keys.</source>
        <translation>{path} disimpan ({size} KiB). Tidak berisi nama pasien atau kunci.</translation>
    </message>
</context>
<context>
    <name>TriageBanner</name>
    <message>
        <source>Triage result</source>
        <translation>Hasil triase</translation>
    </message>
    <message>
        <source>Triage: enter the patient&apos;s details</source>
        <translation>Triase: isi data pasien</translation>
    </message>
    <message>
        <source>Triage not computed</source>
        <translation>Triase tidak dihitung</translation>
    </message>
    <message>
        <source>EMERGENCY — treat and refer now</source>
        <translation>GAWAT DARURAT — tangani dan rujuk segera</translation>
    </message>
    <message>
        <source>URGENT — assess and treat without delay</source>
        <translation>MENDESAK — nilai dan tangani tanpa menunda</translation>
    </message>
    <message>
        <source>ROUTINE — No danger sign among the signs and vitals recorded</source>
        <translation>RUTIN — Tidak ada tanda bahaya pada tanda dan tanda vital yang dicatat</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more: hover here to see all</source>
        <translation>
            <numerusform>… dan %n lainnya: arahkan kursor ke sini untuk melihat semua</numerusform>
        </translation>
    </message>
    <message>
        <source>Not recorded: {names}</source>
        <translation>Tidak dicatat: {names}</translation>
    </message>
    <message>
        <source>Unknown sign codes (not evaluated): {codes}</source>
        <translation>Kode tanda tidak dikenal (tidak dinilai): {codes}</translation>
    </message>
    <message>
        <source>{label} ({level}; rule {rule}; {source})</source>
        <translation>{label} ({level}; aturan {rule}; {source})</translation>
    </message>
    <message>
        <source>Rules version {v}</source>
        <translation>Versi aturan {v}</translation>
    </message>
</context>
<context>
    <name>Units</name>
    <message>
        <source>°C</source>
        <translation>°C</translation>
    </message>
    <message>
        <source>breaths/min</source>
        <translation>napas/menit</translation>
    </message>
    <message>
        <source>beats/min</source>
        <translation>denyut/menit</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>mmHg</source>
        <translation>mmHg</translation>
    </message>
    <message>
        <source>kg</source>
        <translation>kg</translation>
    </message>
    <message>
        <source>mm</source>
        <translation>mm</translation>
    </message>
</context>
<context>
    <name>UsersTab</name>
    <message>
        <source>Users</source>
        <translation>Pengguna</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nama pengguna</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Peran</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>Terakhir masuk</translation>
    </message>
    <message>
        <source>&amp;Add user…</source>
        <translation>&amp;Tambah pengguna…</translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation>&amp;Nonaktifkan</translation>
    </message>
    <message>
        <source>&amp;Reset password…</source>
        <translation>&amp;Atur ulang kata sandi…</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>nonaktif</translation>
    </message>
    <message>
        <source>locked ({time} left)</source>
        <translation>terkunci ({time} lagi)</translation>
    </message>
    <message>
        <source>active (must change password)</source>
        <translation>aktif (harus ganti kata sandi)</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktif</translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>&amp;Aktifkan</translation>
    </message>
    <message>
        <source>Added {user}.</source>
        <translation>{user} ditambahkan.</translation>
    </message>
    <message>
        <source>New password set for {user}.</source>
        <translation>Kata sandi baru diatur untuk {user}.</translation>
    </message>
    <message>
        <source>Enabled {user}.</source>
        <translation>{user} diaktifkan.</translation>
    </message>
    <message>
        <source>Disabled {user}.</source>
        <translation>{user} dinonaktifkan.</translation>
    </message>
</context>
<context>
    <name>VitalSigns</name>
    <message>
        <source>Temperature</source>
        <translation>Suhu</translation>
    </message>
    <message>
        <source>Respiratory rate</source>
        <translation>Frekuensi napas</translation>
    </message>
    <message>
        <source>Heart rate</source>
        <translation>Denyut jantung</translation>
    </message>
    <message>
        <source>SpO₂</source>
        <translation>SpO₂</translation>
    </message>
    <message>
        <source>Systolic BP</source>
        <translation>Tekanan darah sistolik</translation>
    </message>
    <message>
        <source>Diastolic BP</source>
        <translation>Tekanan darah diastolik</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Berat badan</translation>
    </message>
    <message>
        <source>MUAC</source>
        <translation>LiLA (MUAC)</translation>
    </message>
</context>
</TS>
