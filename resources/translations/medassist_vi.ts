<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi" sourcelanguage="en">
<context>
    <name>AddUserDialog</name>
    <message>
        <source>Add a user</source>
        <translation>Thêm người dùng</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Password or PIN</source>
        <translation>Mật khẩu hoặc mã PIN</translation>
    </message>
    <message>
        <source>Again</source>
        <translation>Nhập lại</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>&amp;Tên đăng nhập</translation>
    </message>
    <message>
        <source>&amp;Full name</source>
        <translation>&amp;Họ và tên</translation>
    </message>
    <message>
        <source>&amp;Role</source>
        <translation>&amp;Vai trò</translation>
    </message>
    <message>
        <source>&amp;Password or PIN</source>
        <translation>&amp;Mật khẩu hoặc PIN</translation>
    </message>
    <message>
        <source>&amp;Again</source>
        <translation>Nhập &amp;lại</translation>
    </message>
    <message>
        <source>Enter a user name.</source>
        <translation>Hãy nhập tên đăng nhập.</translation>
    </message>
    <message>
        <source>Type the same password twice.</source>
        <translation>Nhập cùng một mật khẩu hai lần.</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>The first clinic admin</source>
        <translation>Người quản trị phòng khám đầu tiên</translation>
    </message>
    <message>
        <source>The admin adds health workers, resets passwords and changes settings. Use a password of 8+ characters or a PIN of 6+ digits.</source>
        <translation>Người quản trị thêm nhân viên y tế, đặt lại mật khẩu và thay đổi cài đặt. Dùng mật khẩu từ 8 ký tự hoặc mã PIN từ 6 chữ số.</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Tạo</translation>
    </message>
    <message>
        <source>Admin user name</source>
        <translation>Tên đăng nhập của quản trị</translation>
    </message>
    <message>
        <source>Admin full name</source>
        <translation>Họ tên của quản trị</translation>
    </message>
    <message>
        <source>Admin password</source>
        <translation>Mật khẩu quản trị</translation>
    </message>
    <message>
        <source>Admin password again</source>
        <translation>Nhập lại mật khẩu quản trị</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>&amp;Tên đăng nhập</translation>
    </message>
    <message>
        <source>&amp;Full name</source>
        <translation>&amp;Họ và tên</translation>
    </message>
    <message>
        <source>&amp;Password or PIN</source>
        <translation>&amp;Mật khẩu hoặc PIN</translation>
    </message>
    <message>
        <source>&amp;Again</source>
        <translation>Nhập &amp;lại</translation>
    </message>
    <message>
        <source>Creating the encrypted database and your account…</source>
        <translation>Đang tạo cơ sở dữ liệu mã hóa và tài khoản của bạn…</translation>
    </message>
</context>
<context>
    <name>AgeUnits</name>
    <message numerus="yes">
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n tuổi</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n month(s)</source>
        <translation>
            <numerusform>%n tháng</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <source>Starting…</source>
        <translation>Đang khởi động…</translation>
    </message>
    <message>
        <source>Opening the clinic&apos;s database.</source>
        <translation>Đang mở cơ sở dữ liệu của phòng khám.</translation>
    </message>
    <message>
        <source>MedAssist cannot start</source>
        <translation>MedAssist không khởi động được</translation>
    </message>
</context>
<context>
    <name>AppStatusBar</name>
    <message>
        <source>Model status</source>
        <translation>Trạng thái mô hình</translation>
    </message>
    <message>
        <source>Network status</source>
        <translation>Trạng thái mạng</translation>
    </message>
    <message>
        <source>Sync status</source>
        <translation>Trạng thái đồng bộ</translation>
    </message>
    <message>
        <source>Signed-in user</source>
        <translation>Người đang đăng nhập</translation>
    </message>
    <message>
        <source>Degraded capabilities</source>
        <translation>Chức năng bị hạn chế</translation>
    </message>
    <message>
        <source>Model: loading {percent}%</source>
        <translation>Mô hình: đang tải {percent}%</translation>
    </message>
    <message>
        <source>Model: ready ({name})</source>
        <translation>Mô hình: sẵn sàng ({name})</translation>
    </message>
    <message>
        <source>Model: ready</source>
        <translation>Mô hình: sẵn sàng</translation>
    </message>
    <message>
        <source>Model unavailable — rules only: {reason}</source>
        <translation>Không có mô hình — chỉ dùng quy tắc: {reason}</translation>
    </message>
    <message>
        <source>Model: not loaded</source>
        <translation>Mô hình: chưa tải</translation>
    </message>
    <message>
        <source>Network: connected</source>
        <translation>Mạng: đã kết nối</translation>
    </message>
    <message>
        <source>Network: offline (the app works; sync waits)</source>
        <translation>Mạng: ngoại tuyến (ứng dụng vẫn chạy; đồng bộ chờ)</translation>
    </message>
    <message>
        <source>Network: unknown</source>
        <translation>Mạng: không rõ</translation>
    </message>
    <message>
        <source>Whether this computer has a network connection. Everything except sync and cloud answers works without one; whether the sync server was reached is shown by the sync status.</source>
        <translation>Máy tính này có kết nối mạng hay không. Mọi chức năng trừ đồng bộ và trả lời qua đám mây đều chạy được khi không có mạng; trạng thái đồng bộ cho biết đã kết nối được máy chủ đồng bộ chưa.</translation>
    </message>
    <message>
        <source>Sync: not set up</source>
        <translation>Đồng bộ: chưa thiết lập</translation>
    </message>
    <message>
        <source>Sync: not tried yet</source>
        <translation>Đồng bộ: chưa thử</translation>
    </message>
    <message>
        <source>Sync: server reached</source>
        <translation>Đồng bộ: đã kết nối máy chủ</translation>
    </message>
    <message>
        <source>Sync: server not reached</source>
        <translation>Đồng bộ: không kết nối được máy chủ</translation>
    </message>
    <message>
        <source>No sync server is set up: everything is kept on this computer only. A clinic admin can set one up in Settings → Sync and cloud.</source>
        <translation>Chưa thiết lập máy chủ đồng bộ: mọi dữ liệu chỉ lưu trên máy này. Quản trị viên phòng khám có thể thiết lập trong Cài đặt → Đồng bộ và đám mây.</translation>
    </message>
    <message>
        <source>A sync server is set up; the first sync of this session has not run yet.</source>
        <translation>Đã thiết lập máy chủ đồng bộ; lần đồng bộ đầu tiên của phiên này chưa chạy.</translation>
    </message>
    <message>
        <source>The last sync reached the clinic&apos;s sync server and exchanged the changes.</source>
        <translation>Lần đồng bộ gần nhất đã kết nối máy chủ của phòng khám và trao đổi các thay đổi.</translation>
    </message>
    <message>
        <source>The last sync did not reach the clinic&apos;s sync server. The app works without it; changes wait here and are sent at the next successful sync.</source>
        <translation>Lần đồng bộ gần nhất không kết nối được máy chủ của phòng khám. Ứng dụng vẫn chạy; các thay đổi chờ ở đây và được gửi ở lần đồng bộ thành công tiếp theo.</translation>
    </message>
    <message>
        <source>Signed in: {user}</source>
        <translation>Đăng nhập: {user}</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Chưa đăng nhập</translation>
    </message>
    <message>
        <source>local model</source>
        <translation>mô hình trên máy</translation>
    </message>
    <message>
        <source>cloud sync</source>
        <translation>đồng bộ đám mây</translation>
    </message>
    <message>
        <source>cloud answers</source>
        <translation>trả lời qua đám mây</translation>
    </message>
    <message>
        <source>semantic search</source>
        <translation>tìm kiếm theo nghĩa</translation>
    </message>
    <message>
        <source>daily backup</source>
        <translation>sao lưu hằng ngày</translation>
    </message>
    <message>
        <source>monitoring</source>
        <translation>giám sát</translation>
    </message>
    <message>
        <source>audit copy on the server</source>
        <translation>bản sao nhật ký kiểm tra trên máy chủ</translation>
    </message>
    <message>
        <source>Degraded: {names}</source>
        <translation>Bị hạn chế: {names}</translation>
    </message>
</context>
<context>
    <name>AskPage</name>
    <message>
        <source>Ask a question</source>
        <translation>Đặt câu hỏi</translation>
    </message>
    <message>
        <source>Ask a general question (no patient details are sent)</source>
        <translation>Đặt câu hỏi chung (không gửi thông tin bệnh nhân)</translation>
    </message>
    <message>
        <source>Ask about a guideline or treatment…</source>
        <translation>Hỏi về hướng dẫn hoặc cách điều trị…</translation>
    </message>
</context>
<context>
    <name>AuditTab</name>
    <message>
        <source>any user</source>
        <translation>mọi người dùng</translation>
    </message>
    <message>
        <source>any action, or the start of one: case.</source>
        <translation>mọi thao tác, hoặc phần đầu: case.</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Hiện</translation>
    </message>
    <message>
        <source>&amp;Verify the chain</source>
        <translation>&amp;Kiểm tra chuỗi</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>&amp;Xuất…</translation>
    </message>
    <message>
        <source>Audit entries</source>
        <translation>Mục nhật ký kiểm tra</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Thời gian (UTC)</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Đối tượng</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <source>U&amp;ser</source>
        <translation>&amp;Người dùng</translation>
    </message>
    <message>
        <source>&amp;Action</source>
        <translation>&amp;Thao tác</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>&amp;Từ</translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation>Đế&amp;n</translation>
    </message>
    <message>
        <source>(system)</source>
        <translation>(hệ thống)</translation>
    </message>
    <message numerus="yes">
        <source>%n entry(ies) (the newest {shown} at most).</source>
        <translation>
            <numerusform>%n mục (tối đa {shown} mục mới nhất).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The audit trail is intact (%n entry(ies) checked).</source>
        <translation>
            <numerusform>Nhật ký kiểm tra còn nguyên vẹn (đã kiểm %n mục).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n entry(ies).</source>
        <translation>
            <numerusform>Đã xuất %n mục.</numerusform>
        </translation>
    </message>
    <message>
        <source>The audit trail is BROKEN at entry {id}: {reason}</source>
        <translation>Nhật ký kiểm tra BỊ HỎNG tại mục {id}: {reason}</translation>
    </message>
    <message>
        <source>Export the audit trail</source>
        <translation>Xuất nhật ký kiểm tra</translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl)</source>
        <translation>Dòng JSON (*.jsonl)</translation>
    </message>
</context>
<context>
    <name>AvpuScale</name>
    <message>
        <source>A: alert</source>
        <translation>A: tỉnh táo</translation>
    </message>
    <message>
        <source>V: responds to voice</source>
        <translation>V: đáp ứng với lời nói</translation>
    </message>
    <message>
        <source>P: responds to pain</source>
        <translation>P: đáp ứng với kích thích đau</translation>
    </message>
    <message>
        <source>U: unresponsive</source>
        <translation>U: không đáp ứng</translation>
    </message>
</context>
<context>
    <name>BackgroundLibrary</name>
    <message>
        <source>The library could not be prepared (see the log).</source>
        <translation>Không chuẩn bị được thư viện (xem nhật ký).</translation>
    </message>
    <message>
        <source>Library ready</source>
        <translation>Thư viện đã sẵn sàng</translation>
    </message>
</context>
<context>
    <name>BackupTab</name>
    <message>
        <source>Backup folder</source>
        <translation>Thư mục sao lưu</translation>
    </message>
    <message>
        <source>A folder on a USB stick or another disk</source>
        <translation>Một thư mục trên USB hoặc ổ đĩa khác</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Chọn…</translation>
    </message>
    <message>
        <source>Backups to keep</source>
        <translation>Số bản sao lưu giữ lại</translation>
    </message>
    <message>
        <source>Back up &amp;every day when the folder is there</source>
        <translation>Sao lưu &amp;mỗi ngày khi có thư mục</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lưu</translation>
    </message>
    <message>
        <source>Back up &amp;now</source>
        <translation>Sao lưu &amp;ngay</translation>
    </message>
    <message>
        <source>&amp;Folder</source>
        <translation>&amp;Thư mục</translation>
    </message>
    <message>
        <source>&amp;Keep the newest</source>
        <translation>&amp;Giữ bản mới nhất</translation>
    </message>
    <message>
        <source>No backup has been made yet.</source>
        <translation>Chưa có bản sao lưu nào.</translation>
    </message>
    <message>
        <source>Last backup: {when} ({name})</source>
        <translation>Sao lưu gần nhất: {when} ({name})</translation>
    </message>
    <message>
        <source>Choose the backup folder</source>
        <translation>Chọn thư mục sao lưu</translation>
    </message>
    <message>
        <source>Choose the backup folder first.</source>
        <translation>Hãy chọn thư mục sao lưu trước.</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>Đang sao lưu…</translation>
    </message>
    <message>
        <source>Backup written to {folder}.</source>
        <translation>Đã ghi bản sao lưu vào {folder}.</translation>
    </message>
    <message>
        <source>Write down the recovery key</source>
        <translation>Ghi lại khóa khôi phục</translation>
    </message>
    <message>
        <source>These backups open on another computer only with this recovery key. Write it down now and keep it away from this laptop: it is not shown again.

{key}</source>
        <translation>Chỉ mở được các bản sao lưu này trên máy khác bằng khóa khôi phục này. Hãy ghi lại ngay và cất xa máy tính này: khóa sẽ không hiện lại.

{key}</translation>
    </message>
</context>
<context>
    <name>CaseFormFields</name>
    <message>
        <source>New case</source>
        <translation>Ca bệnh mới</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lưu</translation>
    </message>
    <message>
        <source>Save the case (Ctrl+S)</source>
        <translation>Lưu ca bệnh (Ctrl+S)</translation>
    </message>
    <message>
        <source>← &amp;Back to cases</source>
        <translation>← &amp;Quay lại danh sách ca</translation>
    </message>
    <message>
        <source>Back to the case list (Esc)</source>
        <translation>Quay lại danh sách ca bệnh (Esc)</translation>
    </message>
    <message>
        <source>Referral summary (PDF)…</source>
        <translation>Giấy chuyển viện (PDF)…</translation>
    </message>
    <message>
        <source>English copy for the hospital</source>
        <translation>Bản tiếng Anh cho bệnh viện</translation>
    </message>
    <message>
        <source>Add an English copy of the referral summary on a new page</source>
        <translation>Thêm bản tóm tắt chuyển tuyến bằng tiếng Anh ở trang mới</translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation>Chưa ghi</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Nữ</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Nam</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Khác</translation>
    </message>
    <message>
        <source>Pregnant</source>
        <translation>Có thai</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Bệnh nhân</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Tên:</translation>
    </message>
    <message>
        <source>Clinic &amp;id:</source>
        <translation>&amp;Mã phòng khám:</translation>
    </message>
    <message>
        <source>Age in years</source>
        <translation>Tuổi (năm)</translation>
    </message>
    <message>
        <source>Age, months beyond the years</source>
        <translation>Tuổi, số tháng lẻ</translation>
    </message>
    <message>
        <source>&amp;Age:</source>
        <translation>T&amp;uổi:</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Giới tính</translation>
    </message>
    <message>
        <source>Se&amp;x:</source>
        <translation>&amp;Giới tính:</translation>
    </message>
    <message>
        <source>Vital signs (leave empty when not measured)</source>
        <translation>Dấu hiệu sinh tồn (để trống nếu không đo)</translation>
    </message>
    <message>
        <source>How long (days)</source>
        <translation>Bao lâu (ngày)</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source> d</source>
        <translation> ng</translation>
    </message>
    <message>
        <source>{sign}, days</source>
        <translation>{sign}, số ngày</translation>
    </message>
    <message>
        <source>Main complaint</source>
        <translation>Lý do đến khám</translation>
    </message>
    <message>
        <source>Main complaint, in the carer&apos;s words</source>
        <translation>Lý do đến khám, theo lời người chăm sóc</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Complaint:</source>
        <translation>Lý do khám:</translation>
    </message>
</context>
<context>
    <name>CaseFormPage</name>
    <message>
        <source>Case</source>
        <translation>Ca bệnh</translation>
    </message>
    <message>
        <source>Enter signs and vital signs to triage</source>
        <translation>Nhập dấu hiệu và chỉ số sinh tồn để phân loại</translation>
    </message>
    <message numerus="yes">
        <source>Age %n year(s) {problem}</source>
        <translation>
            <numerusform>Tuổi %n {problem}</numerusform>
        </translation>
    </message>
    <message>
        <source>{field} {value} {problem}</source>
        <translation>{field} {value} {problem}</translation>
    </message>
    <message>
        <source>New case</source>
        <translation>Ca bệnh mới</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>Case #{n}</source>
        <translation>Ca #{n}</translation>
    </message>
    <message numerus="yes">
        <source>%n question(s) asked earlier on this case; the latest is shown.</source>
        <translation>
            <numerusform>Đã hỏi %n câu về ca này; hiện câu mới nhất.</numerusform>
        </translation>
    </message>
    <message>
        <source>Restored unsaved changes from {when}.</source>
        <translation>Đã khôi phục thay đổi chưa lưu từ {when}.</translation>
    </message>
    <message>
        <source>Correct the fields marked in red before saving.</source>
        <translation>Sửa các ô đánh dấu đỏ trước khi lưu.</translation>
    </message>
    <message>
        <source>Enter the patient&apos;s name before saving.</source>
        <translation>Nhập tên bệnh nhân trước khi lưu.</translation>
    </message>
    <message>
        <source>Saved ({level}).</source>
        <translation>Đã lưu ({level}).</translation>
    </message>
    <message>
        <source>Complete the patient&apos;s name and correct fields before a referral.</source>
        <translation>Điền tên bệnh nhân và sửa các ô sai trước khi chuyển viện.</translation>
    </message>
    <message>
        <source>Save referral summary</source>
        <translation>Lưu giấy chuyển viện</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Referral summary saved to {path}.</source>
        <translation>Đã lưu giấy chuyển viện vào {path}.</translation>
    </message>
</context>
<context>
    <name>CaseListPage</name>
    <message>
        <source>Cases</source>
        <translation>Ca bệnh</translation>
    </message>
    <message>
        <source>Search cases</source>
        <translation>Tìm ca bệnh</translation>
    </message>
    <message>
        <source>Search by name, clinic id or #case number</source>
        <translation>Tìm theo tên, mã phòng khám hoặc #số ca</translation>
    </message>
    <message>
        <source>&amp;New case</source>
        <translation>Ca &amp;mới</translation>
    </message>
    <message>
        <source>Start a new case (Ctrl+N)</source>
        <translation>Mở ca bệnh mới (Ctrl+N)</translation>
    </message>
    <message>
        <source>Case list</source>
        <translation>Danh sách ca bệnh</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Bệnh nhân</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Triage</source>
        <translation>Phân loại</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message numerus="yes">
        <source>%n case(s)</source>
        <translation>
            <numerusform>%n ca bệnh</numerusform>
        </translation>
    </message>
    <message>
        <source>EMERGENCY</source>
        <translation>CẤP CỨU</translation>
    </message>
    <message>
        <source>URGENT</source>
        <translation>KHẨN</translation>
    </message>
    <message>
        <source>ROUTINE</source>
        <translation>THÔNG THƯỜNG</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change your password</source>
        <translation>Đổi mật khẩu của bạn</translation>
    </message>
    <message>
        <source>An admin reset your password. Choose your own before you continue.</source>
        <translation>Quản trị đã đặt lại mật khẩu của bạn. Hãy chọn mật khẩu riêng trước khi tiếp tục.</translation>
    </message>
    <message>
        <source>Use 8+ characters, or a PIN of 6+ digits.</source>
        <translation>Dùng từ 8 ký tự, hoặc mã PIN từ 6 chữ số.</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>Mật khẩu hiện tại</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Mật khẩu mới</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>Nhập lại mật khẩu mới</translation>
    </message>
    <message>
        <source>&amp;Current password</source>
        <translation>Mật khẩu &amp;hiện tại</translation>
    </message>
    <message>
        <source>&amp;New password</source>
        <translation>Mật khẩu &amp;mới</translation>
    </message>
    <message>
        <source>&amp;Again</source>
        <translation>Nhập &amp;lại</translation>
    </message>
    <message>
        <source>&amp;Change password</source>
        <translation>Đổi &amp;mật khẩu</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>Đăng &amp;xuất</translation>
    </message>
    <message>
        <source>The two new passwords are different.</source>
        <translation>Hai mật khẩu mới không giống nhau.</translation>
    </message>
</context>
<context>
    <name>CitationDialog</name>
    <message>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <source>Cited passage</source>
        <translation>Đoạn trích dẫn</translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation>(không có tiêu đề)</translation>
    </message>
    <message>
        <source>Section:</source>
        <translation>Mục:</translation>
    </message>
    <message>
        <source>Page:</source>
        <translation>Trang:</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>Nguồn:</translation>
    </message>
    <message>
        <source>Passage text</source>
        <translation>Nội dung đoạn trích</translation>
    </message>
    <message>
        <source>The passage text was not kept with this answer.</source>
        <translation>Nội dung đoạn trích không được lưu cùng câu trả lời này.</translation>
    </message>
</context>
<context>
    <name>ClinicPage</name>
    <message>
        <source>Welcome to {app}</source>
        <translation>Chào mừng đến với {app}</translation>
    </message>
    <message>
        <source>Let us set up this computer for your clinic. It takes a few minutes; nothing leaves this computer.</source>
        <translation>Hãy cài đặt máy tính này cho phòng khám của bạn. Mất vài phút; không có dữ liệu nào rời khỏi máy này.</translation>
    </message>
    <message>
        <source>Clinic id</source>
        <translation>Mã phòng khám</translation>
    </message>
    <message>
        <source>e.g. kh-pursat-02</source>
        <translation>vd. kh-pursat-02</translation>
    </message>
    <message>
        <source>Clinic name</source>
        <translation>Tên phòng khám</translation>
    </message>
    <message>
        <source>e.g. Pursat Provincial Health Centre</source>
        <translation>vd. Trạm Y tế Pursat</translation>
    </message>
    <message>
        <source>The clinic id is a short code (letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;) that names this clinic&apos;s data, also when it is shared; it cannot change later. The name is shown in the title.</source>
        <translation>Mã phòng khám là một mã ngắn (chữ, số, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;) đặt tên cho dữ liệu của phòng khám, kể cả khi chia sẻ; không đổi được về sau. Tên phòng khám hiện trên thanh tiêu đề.</translation>
    </message>
    <message>
        <source>Clinic &amp;id</source>
        <translation>&amp;Mã phòng khám</translation>
    </message>
    <message>
        <source>Clinic na&amp;me</source>
        <translation>&amp;Tên phòng khám</translation>
    </message>
    <message>
        <source>That character cannot be used in a clinic id and was left out: use letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;.</source>
        <translation>Ký tự đó không dùng được trong mã phòng khám nên đã bị bỏ: dùng chữ, số, &apos;.&apos;, &apos;_&apos; hoặc &apos;-&apos;.</translation>
    </message>
</context>
<context>
    <name>ConflictsTab</name>
    <message>
        <source>A record changed on this computer and elsewhere (on the server or another computer of the clinic) since the last sync. Compare both versions and keep one; the other is removed from the server. Fields that differ are in bold.</source>
        <translation>Một bản ghi đã thay đổi trên máy này và ở nơi khác (trên máy chủ hoặc máy khác của phòng khám) kể từ lần đồng bộ gần nhất. So sánh hai phiên bản và giữ một; bản còn lại bị xóa khỏi máy chủ. Các trường khác nhau được in đậm.</translation>
    </message>
    <message>
        <source>Open sync conflicts</source>
        <translation>Xung đột đồng bộ chưa giải quyết</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Bản ghi</translation>
    </message>
    <message>
        <source>Found (UTC)</source>
        <translation>Phát hiện (UTC)</translation>
    </message>
    <message>
        <source>Both versions, field by field</source>
        <translation>Hai phiên bản, từng trường</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Trường</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>Máy này</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Máy chủ</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Làm mới</translation>
    </message>
    <message>
        <source>Keep &amp;this computer&apos;s version</source>
        <translation>Giữ bản của &amp;máy này</translation>
    </message>
    <message>
        <source>Keep the &amp;server&apos;s version</source>
        <translation>Giữ bản của máy &amp;chủ</translation>
    </message>
    <message>
        <source>No open sync conflicts.</source>
        <translation>Không có xung đột đồng bộ nào.</translation>
    </message>
    <message>
        <source>(not set)</source>
        <translation>(chưa có)</translation>
    </message>
    <message>
        <source>This computer&apos;s copy of that version is no longer kept.</source>
        <translation>Máy này không còn giữ bản sao của phiên bản đó.</translation>
    </message>
    <message>
        <source>Settling the conflict with the server…</source>
        <translation>Đang giải quyết xung đột với máy chủ…</translation>
    </message>
    <message>
        <source>{record}: this computer&apos;s version was kept.</source>
        <translation>{record}: đã giữ bản của máy này.</translation>
    </message>
    <message>
        <source>{record}: the server&apos;s version was kept.</source>
        <translation>{record}: đã giữ bản của máy chủ.</translation>
    </message>
</context>
<context>
    <name>ConnectionsTab</name>
    <message>
        <source>&amp;Sync with the clinic server</source>
        <translation>Đồng &amp;bộ với máy chủ phòng khám</translation>
    </message>
    <message>
        <source>Sync server address</source>
        <translation>Địa chỉ máy chủ đồng bộ</translation>
    </message>
    <message>
        <source>Sync database name</source>
        <translation>Tên cơ sở dữ liệu đồng bộ</translation>
    </message>
    <message>
        <source>Sync user</source>
        <translation>Tài khoản đồng bộ</translation>
    </message>
    <message>
        <source>Sync password</source>
        <translation>Mật khẩu đồng bộ</translation>
    </message>
    <message>
        <source>Save s&amp;ync settings</source>
        <translation>Lưu cài đặt đồng &amp;bộ</translation>
    </message>
    <message>
        <source>Ask a &amp;cloud model when online</source>
        <translation>Hỏi mô hình đám &amp;mây khi có mạng</translation>
    </message>
    <message>
        <source>Cloud endpoint address</source>
        <translation>Địa chỉ máy chủ đám mây</translation>
    </message>
    <message>
        <source>Cloud model name</source>
        <translation>Tên mô hình đám mây</translation>
    </message>
    <message>
        <source>Cloud API key</source>
        <translation>Khóa API đám mây</translation>
    </message>
    <message>
        <source>Save c&amp;loud settings</source>
        <translation>Lưu cài đặt đám mâ&amp;y</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Đồng bộ</translation>
    </message>
    <message>
        <source>Server &amp;address</source>
        <translation>Địa &amp;chỉ máy chủ</translation>
    </message>
    <message>
        <source>&amp;Database</source>
        <translation>&amp;Cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>&amp;Tài khoản</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>&amp;Mật khẩu</translation>
    </message>
    <message>
        <source>Cloud answers</source>
        <translation>Trả lời qua đám mây</translation>
    </message>
    <message>
        <source>&amp;Endpoint</source>
        <translation>Máy &amp;chủ</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>Mô &amp;hình</translation>
    </message>
    <message>
        <source>API &amp;key</source>
        <translation>&amp;Khóa API</translation>
    </message>
    <message>
        <source>Only https:// addresses are accepted. Passwords and API keys are kept in this computer&apos;s keyring, never in the settings file. Patient names are removed before a question goes to a cloud model.</source>
        <translation>Chỉ chấp nhận địa chỉ https://. Mật khẩu và khóa API được giữ trong kho khóa (keyring) của máy, không bao giờ trong tệp cài đặt. Tên bệnh nhân được xóa trước khi câu hỏi gửi tới mô hình đám mây.</translation>
    </message>
    <message>
        <source>stored in the keyring — leave empty to keep it</source>
        <translation>đã lưu trong kho khóa — để trống để giữ nguyên</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>chưa đặt</translation>
    </message>
</context>
<context>
    <name>ConsultPanel</name>
    <message>
        <source>Question</source>
        <translation>Câu hỏi</translation>
    </message>
    <message>
        <source>Ask about this patient or a guideline…</source>
        <translation>Hỏi về bệnh nhân này hoặc một hướng dẫn…</translation>
    </message>
    <message>
        <source>&amp;Ask</source>
        <translation>&amp;Hỏi</translation>
    </message>
    <message>
        <source>Ask (Ctrl+Enter)</source>
        <translation>Hỏi (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Dừng</translation>
    </message>
    <message>
        <source>Stop the answer (Esc)</source>
        <translation>Dừng câu trả lời (Esc)</translation>
    </message>
    <message>
        <source>Mark as &amp;reviewed</source>
        <translation>Đánh dấu đã &amp;xem xét</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Câu trả lời</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>Độ tin cậy</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <source>Decision support for a trained health worker. Check the sources; your clinical judgement and the triage rules come first.</source>
        <translation>Hỗ trợ quyết định cho nhân viên y tế đã được đào tạo. Hãy kiểm tra nguồn; đánh giá lâm sàng của bạn và quy tắc phân loại luôn đứng trước.</translation>
    </message>
    <message>
        <source>Sources:</source>
        <translation>Nguồn:</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>Đã xem xét</translation>
    </message>
    <message>
        <source>Answering…</source>
        <translation>Đang trả lời…</translation>
    </message>
    <message>
        <source>No sources found for this question.</source>
        <translation>Không tìm thấy nguồn cho câu hỏi này.</translation>
    </message>
    <message>
        <source> (cached)</source>
        <translation> (từ bộ nhớ)</translation>
    </message>
    <message>
        <source>Engine: {engine}</source>
        <translation>Bộ máy: {engine}</translation>
    </message>
    <message>
        <source>Check: the answer suggests higher urgency ({suggested}) than the danger-sign rules ({rules}). Re-examine the patient; refer sooner if you agree.</source>
        <translation>Lưu ý: câu trả lời gợi ý mức khẩn cấp cao hơn ({suggested}) so với quy tắc dấu hiệu nguy hiểm ({rules}). Khám lại bệnh nhân; chuyển viện sớm hơn nếu bạn đồng ý.</translation>
    </message>
    <message>
        <source>[Stopped]</source>
        <translation>[Đã dừng]</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Đã dừng</translation>
    </message>
    <message>
        <source>Confidence: {level}</source>
        <translation>Độ tin cậy: {level}</translation>
    </message>
    <message>
        <source>No measured signals</source>
        <translation>Không có tín hiệu đo được</translation>
    </message>
</context>
<context>
    <name>ConsultSession</name>
    <message>
        <source>Preparing… (loading the language model, usually under a minute)</source>
        <translation>Đang chuẩn bị… (đang tải mô hình ngôn ngữ, thường dưới một phút)</translation>
    </message>
</context>
<context>
    <name>DetailsSection</name>
    <message>
        <source>&amp;Details</source>
        <translation>&amp;Chi tiết</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>Ready</source>
        <translation>Sẵn sàng</translation>
    </message>
    <message>
        <source>Setup is complete and you are signed in as the clinic admin. Add the health workers&apos; accounts in Settings → Users. The model loads in the background; until it is ready, answers come from the triage rules and the knowledge base.</source>
        <translation>Cài đặt đã xong và bạn đang đăng nhập là quản trị phòng khám. Thêm tài khoản nhân viên y tế ở Cài đặt → Người dùng. Mô hình được tải ngầm; trong lúc chờ, câu trả lời lấy từ quy tắc phân loại và thư viện kiến thức.</translation>
    </message>
</context>
<context>
    <name>Durations</name>
    <message>
        <source>Cough</source>
        <translation>Ho</translation>
    </message>
    <message>
        <source>Fever</source>
        <translation>Sốt</translation>
    </message>
    <message>
        <source>Diarrhoea</source>
        <translation>Tiêu chảy</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>An unexpected error occurred (error id {id}). Details are in the log file.</source>
        <translation>Đã xảy ra lỗi không mong muốn (mã lỗi {id}). Chi tiết có trong tệp nhật ký.</translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation>{h} giờ {m} phút</translation>
    </message>
    <message>
        <source>{m} min {s} s</source>
        <translation>{m} phút {s} giây</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s} giây</translation>
    </message>
</context>
<context>
    <name>ExtraCaseFields</name>
    <message>
        <source>Newborn, pregnancy, glucose and consciousness</source>
        <translation>Sơ sinh, thai kỳ, đường huyết và ý thức</translation>
    </message>
    <message>
        <source>Age in days (babies under 2 months)</source>
        <translation>Tuổi tính theo ngày (trẻ dưới 2 tháng)</translation>
    </message>
    <message>
        <source> wk</source>
        <translation> tuần</translation>
    </message>
    <message>
        <source>Weeks of pregnancy</source>
        <translation>Tuổi thai (tuần)</translation>
    </message>
    <message>
        <source>Gave birth in the last 6 weeks</source>
        <translation>Đã sinh trong 6 tuần qua</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n ngày</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n ngày trước</numerusform>
        </translation>
    </message>
    <message>
        <source>today</source>
        <translation>hôm nay</translation>
    </message>
    <message>
        <source>Days since giving birth</source>
        <translation>Số ngày sau sinh</translation>
    </message>
    <message>
        <source>Blood glucose</source>
        <translation>Đường huyết</translation>
    </message>
    <message>
        <source>Blood glucose unit</source>
        <translation>Đơn vị đường huyết</translation>
    </message>
    <message>
        <source>Conscious level (AVPU)</source>
        <translation>Mức độ ý thức (AVPU)</translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation>Chưa ghi</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Age in &amp;days (under 2 months):</source>
        <translation>Tuổi theo &amp;ngày (dưới 2 tháng):</translation>
    </message>
    <message>
        <source>&amp;Weeks of pregnancy:</source>
        <translation>Tuổi &amp;thai (tuần):</translation>
    </message>
    <message>
        <source>Blood &amp;glucose:</source>
        <translation>Đường &amp;huyết:</translation>
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
        <translation>Chào mừng đến với {app}</translation>
    </message>
    <message>
        <source>Decision support for trained health workers. It does not replace clinical judgement. Danger signs found by the triage rules always come first.</source>
        <translation>Hỗ trợ quyết định cho nhân viên y tế đã được đào tạo. Không thay thế đánh giá lâm sàng. Dấu hiệu nguy hiểm do quy tắc phân loại phát hiện luôn được ưu tiên.</translation>
    </message>
    <message>
        <source>Signed in as {name}.</source>
        <translation>Đã đăng nhập: {name}.</translation>
    </message>
</context>
<context>
    <name>KeyPage</name>
    <message>
        <source>Protecting the clinic&apos;s data</source>
        <translation>Bảo vệ dữ liệu phòng khám</translation>
    </message>
    <message>
        <source>The database is encrypted. Its key will be kept in this computer&apos;s secure keyring, so nobody has to type it.</source>
        <translation>Cơ sở dữ liệu được mã hóa. Khóa được giữ trong kho khóa an toàn (keyring) của máy, nên không ai phải gõ.</translation>
    </message>
    <message>
        <source>Encryption is switched off (development settings).</source>
        <translation>Mã hóa đang tắt (cài đặt phát triển).</translation>
    </message>
    <message>
        <source>This computer has no secure keyring for the database key.</source>
        <translation>Máy tính này không có kho khóa an toàn cho khóa cơ sở dữ liệu.</translation>
    </message>
    <message>
        <source>Choose a passphrase instead: it unlocks the database each time MedAssist starts. Without it the data cannot be read — write it down and keep it in a safe place.</source>
        <translation>Hãy chọn một cụm mật khẩu: nó mở khóa cơ sở dữ liệu mỗi lần MedAssist khởi động. Không có nó thì không đọc được dữ liệu — hãy ghi lại và cất ở nơi an toàn.</translation>
    </message>
    <message>
        <source>Database passphrase</source>
        <translation>Cụm mật khẩu cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>Database passphrase again</source>
        <translation>Nhập lại cụm mật khẩu</translation>
    </message>
    <message>
        <source>Passphrase strength</source>
        <translation>Độ mạnh cụm mật khẩu</translation>
    </message>
    <message>
        <source>&amp;Passphrase</source>
        <translation>&amp;Cụm mật khẩu</translation>
    </message>
    <message>
        <source>&amp;Again</source>
        <translation>Nhập &amp;lại</translation>
    </message>
    <message>
        <source>very weak</source>
        <translation>rất yếu</translation>
    </message>
    <message>
        <source>weak</source>
        <translation>yếu</translation>
    </message>
    <message>
        <source>fair</source>
        <translation>tạm được</translation>
    </message>
    <message>
        <source>good</source>
        <translation>tốt</translation>
    </message>
    <message>
        <source>strong</source>
        <translation>mạnh</translation>
    </message>
    <message>
        <source>Strength: {label}.</source>
        <translation>Độ mạnh: {label}.</translation>
    </message>
    <message>
        <source>Use at least 12 characters.</source>
        <translation>Dùng ít nhất 12 ký tự.</translation>
    </message>
    <message>
        <source>Add more words.</source>
        <translation>Thêm từ nữa.</translation>
    </message>
    <message>
        <source>Tip: four or five unrelated words are strong and easy to type.</source>
        <translation>Mẹo: bốn hoặc năm từ không liên quan vừa mạnh vừa dễ gõ.</translation>
    </message>
    <message>
        <source>The two passphrases are different.</source>
        <translation>Hai cụm mật khẩu không giống nhau.</translation>
    </message>
</context>
<context>
    <name>KnowledgePage</name>
    <message>
        <source>Knowledge</source>
        <translation>Kiến thức</translation>
    </message>
    <message>
        <source>Search the library</source>
        <translation>Tìm trong thư viện</translation>
    </message>
    <message>
        <source>Search the clinical library…</source>
        <translation>Tìm trong thư viện lâm sàng…</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Tìm</translation>
    </message>
    <message>
        <source>Passages found</source>
        <translation>Các đoạn tìm thấy</translation>
    </message>
    <message>
        <source>Preparing the library on this computer; the search runs when it is in.</source>
        <translation>Đang chuẩn bị thư viện trên máy này; tìm kiếm sẽ chạy khi xong.</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Đang tìm…</translation>
    </message>
    <message>
        <source>Preparing the library on this computer: {percent}%…</source>
        <translation>Đang chuẩn bị thư viện trên máy này: {percent}%…</translation>
    </message>
    <message>
        <source>No relevant passage: nothing in the library is close to this search.</source>
        <translation>Không có đoạn phù hợp: thư viện không có nội dung gần với tìm kiếm này.</translation>
    </message>
    <message>
        <source>Nothing in the library matches this search.</source>
        <translation>Không có nội dung nào trong thư viện khớp với tìm kiếm này.</translation>
    </message>
    <message>
        <source>Keyword search only: {why}</source>
        <translation>Chỉ tìm theo từ khóa: {why}</translation>
    </message>
    <message>
        <source>the embedding model is not loaded</source>
        <translation>mô hình nhúng (embedding) chưa được tải</translation>
    </message>
    <message>
        <source>{n} passages</source>
        <translation>{n} đoạn</translation>
    </message>
</context>
<context>
    <name>KnowledgeTab</name>
    <message>
        <source>Documents in the library</source>
        <translation>Tài liệu trong thư viện</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>Passages</source>
        <translation>Đoạn</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>Thư viện</translation>
    </message>
    <message>
        <source>Import &amp;files…</source>
        <translation>Nhập tệ&amp;p…</translation>
    </message>
    <message>
        <source>Import a f&amp;older…</source>
        <translation>Nhập thư &amp;mục…</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>Xó&amp;a…</translation>
    </message>
    <message>
        <source>Re-&amp;embed</source>
        <translation>Nhúng &amp;lại (embed)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>Hủ&amp;y</translation>
    </message>
    <message>
        <source>Import progress</source>
        <translation>Tiến độ nhập</translation>
    </message>
    <message>
        <source>Results of the last import</source>
        <translation>Kết quả lần nhập gần nhất</translation>
    </message>
    <message>
        <source>starter library</source>
        <translation>thư viện ban đầu</translation>
    </message>
    <message>
        <source>clinic</source>
        <translation>phòng khám</translation>
    </message>
    <message>
        <source> (needs embedding)</source>
        <translation> (cần nhúng - embedding)</translation>
    </message>
    <message>
        <source>Import documents</source>
        <translation>Nhập tài liệu</translation>
    </message>
    <message>
        <source>Documents (*.pdf *.md *.markdown *.txt *.html *.htm)</source>
        <translation>Tài liệu (*.pdf *.md *.markdown *.txt *.html *.htm)</translation>
    </message>
    <message>
        <source>Import a folder</source>
        <translation>Nhập thư mục</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Đang nhập…</translation>
    </message>
    <message>
        <source>not processed: {name}</source>
        <translation>chưa xử lý: {name}</translation>
    </message>
    <message>
        <source>{total} file(s): {imported} imported, {replaced} replaced, {unchanged} unchanged, {failed} failed, {skipped} skipped.</source>
        <translation>{total} tệp: {imported} đã nhập, {replaced} đã thay, {unchanged} không đổi, {failed} lỗi, {skipped} bỏ qua.</translation>
    </message>
    <message>
        <source>Cancelled: the files not processed can be imported again.</source>
        <translation>Đã hủy: các tệp chưa xử lý có thể nhập lại.</translation>
    </message>
    <message>
        <source>Stored without embeddings ({reason}): keyword search finds them now; Re-embed adds vectors once the model works.</source>
        <translation>Đã lưu mà chưa nhúng (embedding) ({reason}): tìm theo từ khóa đã thấy được; Nhúng lại sẽ thêm vectơ khi mô hình hoạt động.</translation>
    </message>
    <message>
        <source>{outcome}: {name} ({chunks} passages)</source>
        <translation>{outcome}: {name} ({chunks} đoạn)</translation>
    </message>
    <message>
        <source>Embedding…</source>
        <translation>Đang nhúng (embedding)…</translation>
    </message>
    <message>
        <source>Embedded {embedded} passage(s) of {documents} document(s) with {model}; {remaining} still without vectors.</source>
        <translation>Đã nhúng {embedded} đoạn của {documents} tài liệu bằng {model}; còn {remaining} đoạn chưa có vectơ.</translation>
    </message>
    <message>
        <source>The embedding model cannot be used: {reason}</source>
        <translation>Không dùng được mô hình nhúng (embedding): {reason}</translation>
    </message>
    <message>
        <source>Remove document</source>
        <translation>Xóa tài liệu</translation>
    </message>
    <message>
        <source>Remove “{title}” from the library? Answers will no longer quote it.</source>
        <translation>Xóa “{title}” khỏi thư viện? Câu trả lời sẽ không trích dẫn tài liệu này nữa.</translation>
    </message>
    <message>
        <source>Removed “{title}”.</source>
        <translation>Đã xóa “{title}”.</translation>
    </message>
    <message>
        <source>Importing {done} of {total}: {name}</source>
        <translation>Đang nhập {done}/{total}: {name}</translation>
    </message>
    <message>
        <source>Embedding passages: {done} of {total}</source>
        <translation>Đang nhúng đoạn: {done}/{total}</translation>
    </message>
    <message>
        <source>Cancelling after the current file…</source>
        <translation>Sẽ hủy sau khi xong tệp hiện tại…</translation>
    </message>
</context>
<context>
    <name>LanguagePicker</name>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>Same as this computer</source>
        <translation>Theo máy tính này</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <source>The language applies after MedAssist restarts.</source>
        <translation>Ngôn ngữ được áp dụng sau khi khởi động lại MedAssist.</translation>
    </message>
</context>
<context>
    <name>LanguageTab</name>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lưu</translation>
    </message>
</context>
<context>
    <name>Library</name>
    <message>
        <source>Preparing the library: embedding passages {percent}%</source>
        <translation>Đang chuẩn bị thư viện: nhúng các đoạn {percent}%</translation>
    </message>
    <message>
        <source>Preparing the library: {percent}%</source>
        <translation>Đang chuẩn bị thư viện: {percent}%</translation>
    </message>
</context>
<context>
    <name>LockOverlay</name>
    <message>
        <source>Password or PIN to unlock</source>
        <translation>Mật khẩu hoặc PIN để mở khóa</translation>
    </message>
    <message>
        <source>Password or PIN</source>
        <translation>Mật khẩu hoặc mã PIN</translation>
    </message>
    <message>
        <source>Unlock message</source>
        <translation>Thông báo mở khóa</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Mở khóa</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>Đăng &amp;xuất</translation>
    </message>
    <message>
        <source>Sign out so someone else can sign in</source>
        <translation>Đăng xuất để người khác đăng nhập</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Đã khóa</translation>
    </message>
    <message>
        <source>{user} is signed in.
Enter the password or PIN to continue.</source>
        <translation>{user} đang đăng nhập.
Nhập mật khẩu hoặc PIN để tiếp tục.</translation>
    </message>
    <message>
        <source>That password is not right. Try again.</source>
        <translation>Mật khẩu không đúng. Hãy thử lại.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Too many wrong passwords: this account is locked. Try again in {time}, or ask a clinic admin to reset the password.</source>
        <translation>Nhập sai mật khẩu quá nhiều lần: tài khoản bị khóa. Thử lại sau {time}, hoặc nhờ quản trị phòng khám đặt lại mật khẩu.</translation>
    </message>
    <message>
        <source>Sign in — {app}</source>
        <translation>Đăng nhập — {app}</translation>
    </message>
    <message>
        <source>Sign in to {clinic}</source>
        <translation>Đăng nhập vào {clinic}</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Password or PIN</source>
        <translation>Mật khẩu hoặc mã PIN</translation>
    </message>
    <message>
        <source>Sign-in message</source>
        <translation>Thông báo đăng nhập</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>&amp;Tên đăng nhập</translation>
    </message>
    <message>
        <source>&amp;Password or PIN</source>
        <translation>&amp;Mật khẩu hoặc PIN</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>Đăng &amp;nhập</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>T&amp;hoát</translation>
    </message>
    <message>
        <source>Enter your user name and password.</source>
        <translation>Nhập tên đăng nhập và mật khẩu của bạn.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Đang đăng nhập…</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Sai tên đăng nhập hoặc mật khẩu.</translation>
    </message>
    <message>
        <source>You can try to sign in again.</source>
        <translation>Bạn có thể thử đăng nhập lại.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Sections</source>
        <translation>Các mục</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>Trang chủ</translation>
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
        <translation>&amp;Tài khoản</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>&amp;Khóa</translation>
    </message>
    <message>
        <source>Lock the screen now (Ctrl+L)</source>
        <translation>Khóa màn hình ngay (Ctrl+L)</translation>
    </message>
    <message>
        <source>&amp;Change password…</source>
        <translation>Đổi &amp;mật khẩu…</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>Đăng &amp;xuất</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>T&amp;hoát</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <source>&amp;Larger text</source>
        <translation>Chữ &amp;to hơn</translation>
    </message>
    <message>
        <source>Welcome to {app}</source>
        <translation>Chào mừng đến với {app}</translation>
    </message>
    <message>
        <source>Decision support for trained health workers. It does not replace clinical judgement.</source>
        <translation>Hỗ trợ quyết định cho nhân viên y tế đã được đào tạo. Không thay thế đánh giá lâm sàng.</translation>
    </message>
</context>
<context>
    <name>ModelImport</name>
    <message>
        <source>Imported {name}. Verified: its sha256 checksum matches the model list.</source>
        <translation>Đã nhập {name}. Đã xác minh: mã kiểm tra sha256 khớp với danh sách mô hình.</translation>
    </message>
    <message>
        <source>Imported {name}. This file is not in the model list, so its sha256 checksum ({sha}) was recorded, not verified.</source>
        <translation>Đã nhập {name}. Tệp này không có trong danh sách mô hình, nên mã kiểm tra sha256 ({sha}) chỉ được ghi lại, chưa xác minh.</translation>
    </message>
    <message>
        <source>The import was cancelled; nothing was changed.</source>
        <translation>Đã hủy nhập; không có gì thay đổi.</translation>
    </message>
    <message>
        <source>Copying and checking {file}…</source>
        <translation>Đang sao chép và kiểm tra {file}…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Importing a model</source>
        <translation>Đang nhập mô hình</translation>
    </message>
</context>
<context>
    <name>ModelPage</name>
    <message>
        <source>The AI model</source>
        <translation>Mô hình AI</translation>
    </message>
    <message>
        <source>The built-in model is ready to use. If you have a MedGemma file (for example on a USB stick), you can import it now or later in Settings.</source>
        <translation>Mô hình có sẵn đã dùng được. Nếu bạn có tệp MedGemma (ví dụ trên USB), có thể nhập ngay hoặc sau trong Cài đặt.</translation>
    </message>
    <message>
        <source>Saving the model choice…</source>
        <translation>Đang lưu lựa chọn mô hình…</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <source>Models</source>
        <translation>Mô hình</translation>
    </message>
    <message>
        <source>&amp;Import MedGemma from a file…</source>
        <translation>&amp;Nhập MedGemma từ tệp…</translation>
    </message>
    <message>
        <source>Copy a .gguf model file in (from a USB stick); its checksum is verified</source>
        <translation>Chép tệp mô hình .gguf vào (từ USB); mã kiểm tra được xác minh</translation>
    </message>
    <message>
        <source>Import result</source>
        <translation>Kết quả nhập</translation>
    </message>
    <message>
        <source>smaller and faster</source>
        <translation>nhỏ hơn và nhanh hơn</translation>
    </message>
    <message>
        <source>larger, slightly more accurate</source>
        <translation>lớn hơn, chính xác hơn một chút</translation>
    </message>
    <message>
        <source>{gb} GB</source>
        <translation>{gb} GB</translation>
    </message>
    <message>
        <source>built in</source>
        <translation>có sẵn</translation>
    </message>
    <message>
        <source>on this computer</source>
        <translation>trên máy này</translation>
    </message>
    <message>
        <source>not on this computer</source>
        <translation>không có trên máy này</translation>
    </message>
    <message>
        <source> — in use</source>
        <translation> — đang dùng</translation>
    </message>
    <message>
        <source>Model: {name}</source>
        <translation>Mô hình: {name}</translation>
    </message>
    <message>
        <source>Quantisation: {code}</source>
        <translation>Lượng tử hóa (quantisation): {code}</translation>
    </message>
    <message>
        <source>Memory needed: {gb} GB</source>
        <translation>Bộ nhớ cần: {gb} GB</translation>
    </message>
    <message>
        <source>File: {path}</source>
        <translation>Tệp: {path}</translation>
    </message>
    <message>
        <source>SHA-256: {digest}</source>
        <translation>SHA-256: {digest}</translation>
    </message>
    <message>
        <source>Import a model file</source>
        <translation>Nhập tệp mô hình</translation>
    </message>
    <message>
        <source>GGUF model files (*.gguf);;All files (*)</source>
        <translation>Tệp mô hình GGUF (*.gguf);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Not imported: {why}</source>
        <translation>Chưa nhập được: {why}</translation>
    </message>
</context>
<context>
    <name>ModelTab</name>
    <message>
        <source>&amp;Use the selected model</source>
        <translation>&amp;Dùng mô hình đã chọn</translation>
    </message>
    <message>
        <source>&amp;Load it now</source>
        <translation>&amp;Tải ngay</translation>
    </message>
    <message>
        <source>Load the chosen model now instead of at next start</source>
        <translation>Tải mô hình đã chọn ngay thay vì lần khởi động sau</translation>
    </message>
    <message>
        <source>loaded and ready</source>
        <translation>đã tải và sẵn sàng</translation>
    </message>
    <message>
        <source>loading ({percent}%)</source>
        <translation>đang tải ({percent}%)</translation>
    </message>
    <message>
        <source>unavailable: {why}</source>
        <translation>không dùng được: {why}</translation>
    </message>
    <message>
        <source>not loaded</source>
        <translation>chưa tải</translation>
    </message>
    <message>
        <source>In use: {setting} — {status}.</source>
        <translation>Đang dùng: {setting} — {status}.</translation>
    </message>
    <message>
        <source>Saved: MedAssist will load {name} (settings file {file}).</source>
        <translation>Đã lưu: MedAssist sẽ tải {name} (tệp cài đặt {file}).</translation>
    </message>
</context>
<context>
    <name>Monitoring</name>
    <message>
        <source>Port {port} on 127.0.0.1 cannot be used ({why}).</source>
        <translation>Không dùng được cổng {port} trên 127.0.0.1 ({why}).</translation>
    </message>
</context>
<context>
    <name>NetworkMonitor</name>
    <message>
        <source>Internet reachable</source>
        <translation>Có kết nối Internet</translation>
    </message>
    <message>
        <source>No network connection</source>
        <translation>Không có kết nối mạng</translation>
    </message>
    <message>
        <source>Local network only, no internet</source>
        <translation>Chỉ có mạng nội bộ, không có Internet</translation>
    </message>
    <message>
        <source>Sync server: {why}</source>
        <translation>Máy chủ đồng bộ: {why}</translation>
    </message>
    <message>
        <source>The network state cannot be read on this system</source>
        <translation>Không đọc được trạng thái mạng trên hệ thống này</translation>
    </message>
</context>
<context>
    <name>Pages</name>
    <message>
        <source>Cases</source>
        <translation>Ca bệnh</translation>
    </message>
    <message>
        <source>Ask</source>
        <translation>Hỏi</translation>
    </message>
    <message>
        <source>Knowledge</source>
        <translation>Kiến thức</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>Trang chủ</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>Unlock the database — {app}</source>
        <translation>Mở khóa cơ sở dữ liệu — {app}</translation>
    </message>
    <message>
        <source>This computer keeps the clinic&apos;s database locked with a passphrase. Enter it to open the database.</source>
        <translation>Máy tính này khóa cơ sở dữ liệu của phòng khám bằng một cụm mật khẩu. Nhập cụm mật khẩu để mở.</translation>
    </message>
    <message>
        <source>&amp;Database passphrase</source>
        <translation>&amp;Cụm mật khẩu cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>Database passphrase</source>
        <translation>Cụm mật khẩu cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Mở khóa</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>T&amp;hoát</translation>
    </message>
    <message>
        <source>Unlocking…</source>
        <translation>Đang mở khóa…</translation>
    </message>
    <message>
        <source>That passphrase does not open the database. Try again.</source>
        <translation>Cụm mật khẩu này không mở được cơ sở dữ liệu. Hãy thử lại.</translation>
    </message>
</context>
<context>
    <name>PolicyTab</name>
    <message>
        <source>Lock the screen after this many idle minutes</source>
        <translation>Khóa màn hình sau số phút không dùng này</translation>
    </message>
    <message>
        <source> min</source>
        <translation> phút</translation>
    </message>
    <message>
        <source>Wrong passwords before an account is locked</source>
        <translation>Số lần sai mật khẩu trước khi khóa tài khoản</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lưu</translation>
    </message>
    <message>
        <source>Lock the screen after &amp;idle time</source>
        <translation>Khóa màn hình khi &amp;không dùng sau</translation>
    </message>
    <message>
        <source>&amp;Wrong passwords before a lockout</source>
        <translation>Số lần &amp;sai trước khi khóa</translation>
    </message>
    <message>
        <source>A locked-out account waits 5 minutes, doubling with each further lockout; an admin&apos;s password reset ends it.</source>
        <translation>Tài khoản bị khóa phải chờ 5 phút, gấp đôi sau mỗi lần bị khóa tiếp; quản trị đặt lại mật khẩu sẽ mở khóa.</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyPage</name>
    <message>
        <source>Write down the recovery key</source>
        <translation>Ghi lại khóa khôi phục</translation>
    </message>
    <message>
        <source>If this computer breaks or is stolen, the clinic&apos;s backups can only be opened on another computer with this key. It is shown only now.</source>
        <translation>Nếu máy này hỏng hoặc bị mất cắp, bản sao lưu của phòng khám chỉ mở được trên máy khác bằng khóa này. Khóa chỉ hiện lúc này.</translation>
    </message>
    <message>
        <source>Write it on paper (or print it) and keep it locked away, not with this computer. Anyone who has it and a backup can read the clinic&apos;s records.</source>
        <translation>Ghi ra giấy (hoặc in ra) và cất khóa kỹ, không để cùng máy này. Ai có khóa này và một bản sao lưu đều đọc được hồ sơ của phòng khám.</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>Khóa khôi phục</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;In…</translation>
    </message>
    <message>
        <source>The last group of the recovery key</source>
        <translation>Nhóm cuối của khóa khôi phục</translation>
    </message>
    <message>
        <source>To confirm, type its &amp;last group</source>
        <translation>Để xác nhận, gõ nhóm &amp;cuối của khóa</translation>
    </message>
    <message>
        <source>{app} recovery key</source>
        <translation>Khóa khôi phục {app}</translation>
    </message>
    <message>
        <source>Opens this clinic&apos;s backups on another computer. Keep it locked away, not with the computer.</source>
        <translation>Mở bản sao lưu của phòng khám này trên máy khác. Cất khóa kỹ, không để cùng máy tính.</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <source>Reset the password of {user}</source>
        <translation>Đặt lại mật khẩu của {user}</translation>
    </message>
    <message>
        <source>New password or PIN</source>
        <translation>Mật khẩu hoặc PIN mới</translation>
    </message>
    <message>
        <source>Again</source>
        <translation>Nhập lại</translation>
    </message>
    <message>
        <source>They must choose their own at next sign-in</source>
        <translation>Người dùng phải tự chọn mật khẩu khi đăng nhập lần sau</translation>
    </message>
    <message>
        <source>&amp;New password or PIN</source>
        <translation>Mật khẩu hoặc PIN &amp;mới</translation>
    </message>
    <message>
        <source>&amp;Again</source>
        <translation>Nhập &amp;lại</translation>
    </message>
    <message>
        <source>A reset also ends a lockout.</source>
        <translation>Đặt lại cũng mở khóa tài khoản bị khóa.</translation>
    </message>
    <message>
        <source>Type the same password twice.</source>
        <translation>Nhập cùng một mật khẩu hai lần.</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>clinic admin</source>
        <translation>quản trị phòng khám</translation>
    </message>
    <message>
        <source>health worker</source>
        <translation>nhân viên y tế</translation>
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
        <translation>Đã lưu vào {file}. Áp dụng từ lần khởi động MedAssist sau.</translation>
    </message>
    <message>
        <source>Note: {names} set in the environment win over the file.</source>
        <translation>Lưu ý: {names} đặt trong biến môi trường được ưu tiên hơn tệp.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings sections</source>
        <translation>Các mục cài đặt</translation>
    </message>
    <message>
        <source>&amp;Users</source>
        <translation>&amp;Người dùng</translation>
    </message>
    <message>
        <source>Sign-in and &amp;lock</source>
        <translation>Đăng nhập và &amp;khóa</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>Mô &amp;hình</translation>
    </message>
    <message>
        <source>&amp;Knowledge</source>
        <translation>Kiến &amp;thức</translation>
    </message>
    <message>
        <source>S&amp;ync and cloud</source>
        <translation>Đồng &amp;bộ và đám mây</translation>
    </message>
    <message>
        <source>Co&amp;nflicts</source>
        <translation>&amp;Xung đột</translation>
    </message>
    <message>
        <source>&amp;Backup</source>
        <translation>&amp;Sao lưu</translation>
    </message>
    <message>
        <source>Sys&amp;tem</source>
        <translation>&amp;Hệ thống</translation>
    </message>
    <message>
        <source>&amp;Audit</source>
        <translation>&amp;Kiểm tra</translation>
    </message>
    <message>
        <source>Lan&amp;guage</source>
        <translation>N&amp;gôn ngữ</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set up {app}</source>
        <translation>Cài đặt {app}</translation>
    </message>
</context>
<context>
    <name>SystemFigures</name>
    <message>
        <source>{logical} threads on {physical} cores</source>
        <translation>{logical} luồng trên {physical} lõi</translation>
    </message>
    <message>
        <source>{logical} cores</source>
        <translation>{logical} lõi</translation>
    </message>
    <message>
        <source>CPU: {cpu}% busy ({cores}); MedAssist {own}% of one core. Memory: {available} GiB free of {total} GiB; MedAssist uses {rss} MiB.</source>
        <translation>CPU: bận {cpu}% ({cores}); MedAssist dùng {own}% của một lõi. Bộ nhớ: còn trống {available} GiB trên {total} GiB; MedAssist dùng {rss} MiB.</translation>
    </message>
    <message>
        <source>Disk: {free} GiB free for the data.</source>
        <translation>Ổ đĩa: còn trống {free} GiB cho dữ liệu.</translation>
    </message>
    <message>
        <source>(no model chosen)</source>
        <translation>(chưa chọn mô hình)</translation>
    </message>
    <message>
        <source>Model {model}: could not be measured ({reason}).</source>
        <translation>Mô hình {model}: không đo được ({reason}).</translation>
    </message>
    <message>
        <source>Model {model}: speed not measured yet on this computer (no answers written by it here yet). Use “Measure model speed” for a short test run.</source>
        <translation>Mô hình {model}: chưa đo tốc độ trên máy này (chưa có câu trả lời nào của nó ở đây). Dùng “Đo tốc độ mô hình” để chạy thử ngắn.</translation>
    </message>
    <message>
        <source>Model {model}: {speed} tokens per second, measured just now.</source>
        <translation>Mô hình {model}: {speed} token mỗi giây, vừa đo xong.</translation>
    </message>
    <message>
        <source>Model {model}: {speed} tokens per second on this computer (median of its last {count} answers here).</source>
        <translation>Mô hình {model}: {speed} token mỗi giây trên máy này (trung vị của {count} câu trả lời gần nhất ở đây).</translation>
    </message>
</context>
<context>
    <name>SystemTab</name>
    <message>
        <source>Health checks</source>
        <translation>Kiểm tra hệ thống</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Mục kiểm tra</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>&amp;Check again</source>
        <translation>&amp;Kiểm tra lại</translation>
    </message>
    <message>
        <source>&amp;Export diagnostics…</source>
        <translation>&amp;Xuất chẩn đoán…</translation>
    </message>
    <message>
        <source>Measure model s&amp;peed</source>
        <translation>Đ&amp;o tốc độ mô hình</translation>
    </message>
    <message>
        <source>never</source>
        <translation>chưa bao giờ</translation>
    </message>
    <message>
        <source>MedAssist {version} (Python {python}, Qt {qt}, {system}). Last backup: {backup}.</source>
        <translation>MedAssist {version} (Python {python}, Qt {qt}, {system}). Sao lưu gần nhất: {backup}.</translation>
    </message>
    <message>
        <source>Recent errors:</source>
        <translation>Lỗi gần đây:</translation>
    </message>
    <message>
        <source>No errors in the recent log.</source>
        <translation>Không có lỗi trong nhật ký gần đây.</translation>
    </message>
    <message>
        <source>Measuring the model&apos;s speed (loading it first if need be)…</source>
        <translation>Đang đo tốc độ mô hình (tải mô hình trước nếu cần)…</translation>
    </message>
    <message>
        <source>Alive</source>
        <translation>Đang chạy</translation>
    </message>
    <message>
        <source>Ready to work</source>
        <translation>Sẵn sàng làm việc</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Đã khởi động</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>Chương trình</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Mô hình</translation>
    </message>
    <message>
        <source>Search model</source>
        <translation>Mô hình tìm kiếm</translation>
    </message>
    <message>
        <source>Disk space</source>
        <translation>Dung lượng đĩa</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Bộ nhớ</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Khóa</translation>
    </message>
    <message>
        <source>Fallbacks in use</source>
        <translation>Chế độ dự phòng đang dùng</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Đồng bộ</translation>
    </message>
    <message>
        <source>Database version</source>
        <translation>Phiên bản cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>Starter library</source>
        <translation>Thư viện ban đầu</translation>
    </message>
    <message>
        <source>healthy</source>
        <translation>tốt</translation>
    </message>
    <message>
        <source>degraded</source>
        <translation>bị hạn chế</translation>
    </message>
    <message>
        <source>unhealthy</source>
        <translation>có lỗi</translation>
    </message>
    <message>
        <source>Save diagnostics for support</source>
        <translation>Lưu chẩn đoán để gửi hỗ trợ</translation>
    </message>
    <message>
        <source>Zip files (*.zip)</source>
        <translation>Tệp zip (*.zip)</translation>
    </message>
    <message>
        <source>Writing the diagnostics…</source>
        <translation>Đang ghi chẩn đoán…</translation>
    </message>
    <message>
        <source>Saved {path} ({size} KiB). It holds no patient names or keys.</source>
        <translation>Đã lưu {path} ({size} KiB). Tệp không chứa tên bệnh nhân hay khóa.</translation>
    </message>
</context>
<context>
    <name>TriageBanner</name>
    <message>
        <source>Triage result</source>
        <translation>Kết quả phân loại</translation>
    </message>
    <message>
        <source>Triage: enter the patient&apos;s details</source>
        <translation>Phân loại: nhập thông tin bệnh nhân</translation>
    </message>
    <message>
        <source>Triage not computed</source>
        <translation>Chưa phân loại được</translation>
    </message>
    <message>
        <source>EMERGENCY — treat and refer now</source>
        <translation>CẤP CỨU — xử trí và chuyển viện ngay</translation>
    </message>
    <message>
        <source>URGENT — assess and treat without delay</source>
        <translation>KHẨN — đánh giá và điều trị không chậm trễ</translation>
    </message>
    <message>
        <source>ROUTINE — No danger sign among the signs and vitals recorded</source>
        <translation>THÔNG THƯỜNG — Không có dấu hiệu nguy hiểm trong các dấu hiệu và chỉ số sinh tồn đã ghi</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more: hover here to see all</source>
        <translation>
            <numerusform>… và %n mục khác: di chuột vào đây để xem tất cả</numerusform>
        </translation>
    </message>
    <message>
        <source>Not recorded: {names}</source>
        <translation>Chưa ghi: {names}</translation>
    </message>
    <message>
        <source>Unknown sign codes (not evaluated): {codes}</source>
        <translation>Mã dấu hiệu không rõ (không đánh giá): {codes}</translation>
    </message>
    <message>
        <source>{label} ({level}; rule {rule}; {source})</source>
        <translation>{label} ({level}; quy tắc {rule}; {source})</translation>
    </message>
    <message>
        <source>Rules version {v}</source>
        <translation>Phiên bản quy tắc {v}</translation>
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
        <translation>nhịp thở/phút</translation>
    </message>
    <message>
        <source>beats/min</source>
        <translation>nhịp/phút</translation>
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
        <translation>Người dùng</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>Lần đăng nhập cuối</translation>
    </message>
    <message>
        <source>&amp;Add user…</source>
        <translation>&amp;Thêm người dùng…</translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation>&amp;Vô hiệu hóa</translation>
    </message>
    <message>
        <source>&amp;Reset password…</source>
        <translation>Đặt &amp;lại mật khẩu…</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>đã vô hiệu</translation>
    </message>
    <message>
        <source>locked ({time} left)</source>
        <translation>bị khóa (còn {time})</translation>
    </message>
    <message>
        <source>active (must change password)</source>
        <translation>hoạt động (phải đổi mật khẩu)</translation>
    </message>
    <message>
        <source>active</source>
        <translation>hoạt động</translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>&amp;Kích hoạt</translation>
    </message>
    <message>
        <source>Added {user}.</source>
        <translation>Đã thêm {user}.</translation>
    </message>
    <message>
        <source>New password set for {user}.</source>
        <translation>Đã đặt mật khẩu mới cho {user}.</translation>
    </message>
    <message>
        <source>Enabled {user}.</source>
        <translation>Đã kích hoạt {user}.</translation>
    </message>
    <message>
        <source>Disabled {user}.</source>
        <translation>Đã vô hiệu hóa {user}.</translation>
    </message>
</context>
<context>
    <name>VitalSigns</name>
    <message>
        <source>Temperature</source>
        <translation>Nhiệt độ</translation>
    </message>
    <message>
        <source>Respiratory rate</source>
        <translation>Nhịp thở</translation>
    </message>
    <message>
        <source>Heart rate</source>
        <translation>Nhịp tim</translation>
    </message>
    <message>
        <source>SpO₂</source>
        <translation>SpO₂</translation>
    </message>
    <message>
        <source>Systolic BP</source>
        <translation>Huyết áp tâm thu</translation>
    </message>
    <message>
        <source>Diastolic BP</source>
        <translation>Huyết áp tâm trương</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Cân nặng</translation>
    </message>
    <message>
        <source>MUAC</source>
        <translation>Vòng cánh tay (MUAC)</translation>
    </message>
</context>
</TS>
