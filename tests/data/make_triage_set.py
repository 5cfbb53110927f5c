"""Write tests/data/triage_requests.csv: the labelled requests bench/triage.py measures.

How the set is made (all text written for this project, no outside data):
- for each team and category of tests/data/triage_teams.toml, a dozen phrasing templates, half in
  English and half in Indonesian (informal office Indonesian, with some English loan words as people
  write them), each with two to four fillers (a device, a room, an item, a floor);
- templates with an even index become `history` (tickets already in the system, what the triage
  learns from), odd ones `request` (new requests to suggest for): a request's phrasing is never
  one the history contains, only its topic;
- DUPLICATES: hand-written pairs, one open `history` ticket and a `request` that says the same
  thing in other words, in the other language; `dup_of` names the history row.
Run: python tests/data/make_triage_set.py  (deterministic; the CSV is committed)."""
from __future__ import annotations

import csv
import random
from pathlib import Path

T = {  # (team, category) -> [(lang, template, fillers)]
    ("IT", "hardware"): [
        ("en", "My {x} will not turn on since this morning", ["laptop", "monitor", "desktop PC"]),
        ("id", "{x} saya tidak mau menyala dari pagi", ["laptop", "monitor", "komputer"]),
        ("en", "The {x} keeps making a loud noise and is very slow", ["laptop fan", "hard disk", "PC"]),
        ("id", "Keyboard dan {x} rusak, tolong diganti", ["mouse", "charger laptop", "docking station"]),
        ("en", "Screen of my {x} is cracked after it fell", ["laptop", "tablet", "monitor"]),
        ("id", "Printer di lantai {x} macet terus, kertas nyangkut", ["2", "4", "5"]),
        ("en", "Battery of my {x} drains in one hour, needs replacing", ["laptop", "notebook", "tablet"]),
        ("id", "Layar {x} berkedip-kedip dan kadang mati sendiri", ["monitor", "laptop", "proyektor"]),
        ("en", "Need a new {x} because mine is broken", ["headset", "webcam", "keyboard"]),
        ("id", "Tinta printer {x} habis dan hasil cetak bergaris", ["ruang keuangan", "lantai 3", "resepsionis"]),
        ("en", "The {x} in the meeting room does not detect any cable", ["projector", "TV screen", "HDMI port"]),
        ("id", "{x} kantor saya panas sekali lalu mati sendiri", ["laptop", "PC", "komputer"]),
    ],
    ("IT", "software"): [
        ("en", "{x} crashes every time I open a file", ["Excel", "Word", "Outlook"]),
        ("id", "Aplikasi {x} error terus waktu dibuka", ["SAP", "Zoom", "Excel"]),
        ("en", "Please install {x} on my computer", ["Python", "Adobe Reader", "Visual Studio Code"]),
        ("id", "Tolong instal {x} di laptop saya untuk kerja", ["AutoCAD", "Photoshop", "aplikasi akuntansi"]),
        ("en", "{x} license expired, it says activation required", ["Microsoft Office", "Windows", "Adobe"]),
        ("id", "Lisensi {x} sudah habis, minta diperpanjang", ["Office", "antivirus", "Zoom"]),
        ("en", "After the update {x} is very slow and freezes", ["Windows", "Teams", "Chrome"]),
        ("id", "Setelah update, {x} jadi lambat dan hang", ["Windows", "Outlook", "browser"]),
        ("en", "Emails are stuck in the outbox of {x}", ["Outlook", "Thunderbird", "my mail app"]),
        ("id", "Email tidak bisa terkirim dari {x}, tertahan di outbox", ["Outlook", "HP", "laptop"]),
        ("en", "Blue screen error when I start {x}", ["my laptop", "the accounting program", "Windows"]),
        ("id", "Muncul pesan error saat menyimpan file di {x}", ["Excel", "Word", "SAP"]),
    ],
    ("IT", "network"): [
        ("en", "Wifi on floor {x} keeps disconnecting", ["2", "3", "6"]),
        ("id", "Wifi di lantai {x} putus-putus terus", ["1", "3", "7"]),
        ("en", "Internet is very slow in the {x}", ["marketing room", "warehouse office", "lobby"]),
        ("id", "Internet lemot banget di {x}", ["ruang rapat", "gudang", "kantor cabang"]),
        ("en", "I cannot connect to the VPN from {x}", ["home", "the hotel", "the branch office"]),
        ("id", "Tidak bisa konek VPN dari {x}", ["rumah", "luar kota", "kantor cabang"]),
        ("en", "The LAN cable port at my desk in {x} is dead", ["room 301", "the finance area", "the annex"]),
        ("id", "Kabel LAN di meja saya di {x} tidak ada sinyal", ["lantai 2", "ruang HRD", "gudang"]),
        ("en", "Network drive {x} is not reachable", ["S:", "the shared folder", "the file server"]),
        ("id", "Tidak bisa akses folder sharing {x}", ["keuangan", "server", "tim"]),
        ("en", "No internet at all in the {x} since noon", ["whole building", "west wing", "cafeteria"]),
        ("id", "Jaringan mati total di {x} sejak siang", ["lantai 4", "gedung B", "kantin"]),
    ],
    ("IT", "access"): [
        ("en", "I forgot my password for {x}, please reset it", ["email", "SAP", "the HR portal"]),
        ("id", "Lupa password {x}, tolong direset", ["email", "laptop", "aplikasi absensi"]),
        ("en", "My account for {x} is locked after too many tries", ["Windows", "email", "the VPN"]),
        ("id", "Akun {x} saya terkunci karena salah password", ["email", "SAP", "Windows"]),
        ("en", "Please give me access to the {x} folder", ["finance", "marketing", "project"]),
        ("id", "Minta akses ke folder {x} di server", ["keuangan", "proyek", "legal"]),
        ("en", "New employee {x} needs an email account and login", ["Budi", "Sinta", "Rahmat"]),
        ("id", "Karyawan baru atas nama {x} perlu dibuatkan akun email", ["Andi", "Wulan", "Dimas"]),
        ("en", "Two factor code for {x} is not arriving on my phone", ["email", "the VPN", "Slack"]),
        ("id", "Kode OTP untuk login {x} tidak masuk ke HP", ["email", "VPN", "aplikasi"]),
        ("en", "Please remove access of {x} who left the company", ["Tono", "Maria", "Joko"]),
        ("id", "Tolong nonaktifkan akun {x} yang sudah resign", ["Rudi", "Ayu", "Hendra"]),
    ],
    ("LOG", "permintaan barang"): [
        ("en", "Please order {x} for our team", ["10 reams of A4 paper", "5 staplers", "a box of pens"]),
        ("id", "Mohon dibelikan {x} untuk tim kami", ["kertas A4 5 rim", "map plastik 20", "spidol 12"]),
        ("en", "We need {x} for the new office", ["6 chairs", "two desks", "a filing cabinet"]),
        ("id", "Butuh {x} untuk ruangan baru", ["kursi 4 buah", "meja kerja 2", "lemari arsip"]),
        ("en", "Request to buy {x} for the event next week", ["mineral water 10 boxes", "snacks", "banners"]),
        ("id", "Permintaan pengadaan {x} untuk acara minggu depan", ["air mineral 10 dus", "konsumsi", "spanduk"]),
        ("en", "Can you supply {x} for the warehouse", ["safety helmets", "gloves 20 pairs", "cartons"]),
        ("id", "Minta disediakan {x} untuk gudang", ["helm safety", "sarung tangan", "kardus"]),
        ("en", "Stationery request: {x}", ["sticky notes and folders", "envelopes", "toner cartridges"]),
        ("id", "Permintaan ATK: {x}", ["amplop dan map", "pulpen dan buku", "lakban"]),
        ("en", "Please purchase {x}, quantity {x2}", ["office chairs", "whiteboards", "extension cords"]),
        ("id", "Tolong belikan {x} sebanyak {x2}", ["tinta printer", "galon air", "baterai AA"]),
    ],
    ("LOG", "inventaris"): [
        ("en", "Please record the {x} asset tag, it is missing from the list", ["laptop", "projector", "camera"]),
        ("id", "Nomor aset {x} belum tercatat di daftar inventaris", ["laptop", "proyektor", "kamera"]),
        ("en", "Stock check: how many {x} are left in the warehouse", ["chairs", "monitors", "toner"]),
        ("id", "Cek stok {x} yang tersisa di gudang", ["kursi", "monitor", "kertas"]),
        ("en", "I want to return the borrowed {x} to inventory", ["camera", "projector", "tripod"]),
        ("id", "Saya mau mengembalikan {x} pinjaman ke inventaris", ["kamera", "proyektor", "laptop"]),
        ("en", "The inventory count of {x} does not match the system", ["pallets", "laptops", "desks"]),
        ("id", "Jumlah {x} di gudang tidak sesuai dengan data sistem", ["palet", "laptop", "meja"]),
        ("en", "Please update the asset register, {x} moved to another room", ["the printer", "two desks", "the TV"]),
        ("id", "Tolong update data aset, {x} sudah dipindah ke ruangan lain", ["printer", "meja", "TV"]),
        ("en", "Write off the broken {x} from the asset list", ["chairs", "old laptops", "cabinet"]),
        ("id", "Hapus {x} rusak dari daftar aset", ["kursi", "laptop lama", "lemari"]),
    ],
    ("LOG", "pengiriman"): [
        ("en", "Please send {x} to the branch in {x2}", ["this package", "the documents", "two boxes"]),
        ("id", "Tolong kirim {x} ke cabang {x2}", ["paket ini", "dokumen", "dua kardus"]),
        ("en", "Where is the delivery of {x}, it is late", ["our order", "the new chairs", "the samples"]),
        ("id", "Pengiriman {x} belum sampai, sudah telat", ["pesanan kami", "barang", "sampel"]),
        ("en", "Need a courier to pick up {x} today", ["a parcel", "documents", "the returns"]),
        ("id", "Butuh kurir untuk ambil {x} hari ini", ["paket", "dokumen", "barang retur"]),
        ("en", "Tracking number for the shipment of {x} please", ["laptops", "brochures", "spare parts"]),
        ("id", "Minta nomor resi pengiriman {x}", ["laptop", "brosur", "sparepart"]),
        ("en", "The shipment of {x} arrived damaged", ["glasses", "monitors", "furniture"]),
        ("id", "Barang kiriman {x} datang dalam keadaan rusak", ["gelas", "monitor", "furnitur"]),
        ("en", "Schedule a truck to deliver {x} to the client", ["pallets", "the order", "equipment"]),
        ("id", "Jadwalkan truk untuk antar {x} ke klien", ["palet", "pesanan", "peralatan"]),
    ],
    ("FAC", "AC"): [
        ("en", "The air conditioner in {x} is not cold", ["room 204", "the meeting room", "my office"]),
        ("id", "AC di {x} tidak dingin", ["ruang 204", "ruang rapat", "lantai 3"]),
        ("en", "AC in {x} is leaking water on the floor", ["the pantry", "the server room", "room 12"]),
        ("id", "AC {x} bocor airnya menetes", ["ruang direktur", "pantry", "lobi"]),
        ("en", "It is way too hot in {x}, please check the cooling", ["the open office", "the lab", "hall B"]),
        ("id", "Panas sekali di {x}, tolong cek pendinginnya", ["ruang kerja", "lab", "aula"]),
        ("en", "The AC remote in {x} is missing", ["room 301", "the training room", "the lounge"]),
        ("id", "Remote AC di {x} hilang", ["ruang 301", "ruang training", "ruang tunggu"]),
        ("en", "Loud noise coming from the AC unit in {x}", ["the corridor", "room 5", "the library"]),
        ("id", "AC di {x} berisik dan bau", ["koridor", "ruang 5", "perpustakaan"]),
        ("en", "Please service the air conditioning in {x}", ["all rooms on floor 2", "the canteen", "lobby"]),
        ("id", "Mohon servis AC di {x}", ["lantai 2", "kantin", "lobi"]),
    ],
    ("FAC", "kebersihan"): [
        ("en", "The toilet on floor {x} is dirty and smells", ["1", "3", "5"]),
        ("id", "Toilet lantai {x} kotor dan bau", ["2", "4", "6"]),
        ("en", "Trash bins in {x} have not been emptied", ["the pantry", "the meeting room", "the lobby"]),
        ("id", "Tempat sampah di {x} belum dibuang", ["pantry", "ruang rapat", "lobi"]),
        ("en", "Someone spilled coffee on the carpet in {x}", ["room 210", "the hallway", "the lounge"]),
        ("id", "Ada tumpahan kopi di karpet {x}", ["ruang 210", "lorong", "ruang tunggu"]),
        ("en", "Please clean {x} before the visit tomorrow", ["the boardroom", "the lobby", "the showroom"]),
        ("id", "Tolong bersihkan {x} sebelum kunjungan besok", ["ruang direksi", "lobi", "showroom"]),
        ("en", "There are ants and cockroaches in {x}", ["the kitchen", "the pantry", "the storage room"]),
        ("id", "Banyak semut dan kecoa di {x}", ["dapur", "pantry", "gudang"]),
        ("en", "No soap or tissue in the washroom of {x}", ["floor 2", "building A", "the canteen"]),
        ("id", "Sabun dan tisu di toilet {x} habis", ["lantai 2", "gedung A", "kantin"]),
    ],
    ("FAC", "perbaikan"): [
        ("en", "The door of {x} is broken and cannot be locked", ["room 105", "the storage room", "the toilet"]),
        ("id", "Pintu {x} rusak tidak bisa dikunci", ["ruang 105", "gudang", "toilet"]),
        ("en", "A lamp in {x} is flickering, please replace it", ["the corridor", "my office", "the stairs"]),
        ("id", "Lampu di {x} mati, tolong diganti", ["koridor", "ruang kerja", "tangga"]),
        ("en", "The ceiling in {x} is leaking when it rains", ["room 402", "the archive", "the canteen"]),
        ("id", "Atap {x} bocor kalau hujan", ["ruang 402", "ruang arsip", "kantin"]),
        ("en", "The elevator in {x} is stuck again", ["building B", "the east wing", "the parking tower"]),
        ("id", "Lift di {x} macet lagi", ["gedung B", "sayap timur", "parkiran"]),
        ("en", "The tap in {x} keeps running and will not close", ["the pantry", "the men's toilet", "kitchen"]),
        ("id", "Keran air di {x} bocor tidak bisa ditutup", ["pantry", "toilet pria", "dapur"]),
        ("en", "A chair leg in {x} is broken, please repair", ["the meeting room", "room 8", "reception"]),
        ("id", "Kursi di {x} patah, mohon diperbaiki", ["ruang rapat", "ruang 8", "resepsionis"]),
    ],
    ("FAC", "ruang rapat"): [
        ("en", "Please book the {x} for Thursday afternoon", ["big meeting room", "boardroom", "training room"]),
        ("id", "Tolong booking {x} untuk Kamis siang", ["ruang rapat besar", "ruang direksi", "ruang training"]),
        ("en", "Double booking of {x} tomorrow morning, who has it", ["room Merapi", "room Bromo", "hall A"]),
        ("id", "{x} besok pagi dobel booking, siapa yang pakai", ["Ruang Merapi", "Ruang Bromo", "Aula A"]),
        ("en", "Need {x} set up in the meeting room for a workshop", ["30 chairs", "a U-shape layout", "a stage"]),
        ("id", "Minta disiapkan {x} di ruang rapat untuk workshop", ["30 kursi", "layout U", "panggung"]),
        ("en", "Cancel my reservation of {x} on Friday", ["room Rinjani", "the boardroom", "meeting room 3"]),
        ("id", "Batalkan reservasi {x} hari Jumat", ["Ruang Rinjani", "ruang direksi", "ruang rapat 3"]),
        ("en", "Is the {x} free next Monday at 10", ["large meeting room", "auditorium", "room Semeru"]),
        ("id", "Apakah {x} kosong Senin depan jam 10", ["ruang rapat besar", "auditorium", "Ruang Semeru"]),
        ("en", "Please prepare coffee and snacks in {x} for the meeting", ["room Merapi", "the boardroom", "hall"]),
        ("id", "Siapkan kopi dan snack di {x} untuk rapat", ["Ruang Merapi", "ruang direksi", "aula"]),
    ],
    ("FIN", "reimbursement"): [
        ("en", "How do I claim my {x} expenses", ["taxi", "hotel", "travel"]),
        ("id", "Bagaimana cara klaim biaya {x}", ["taksi", "hotel", "perjalanan dinas"]),
        ("en", "My reimbursement for {x} has not been paid yet", ["the conference", "fuel", "the client dinner"]),
        ("id", "Reimburse {x} saya belum dibayar", ["bensin", "konferensi", "makan klien"]),
        ("en", "Submitting receipts for {x}, please process", ["last week's trip", "parking", "training fees"]),
        ("id", "Saya kirim nota {x}, mohon diproses", ["perjalanan minggu lalu", "parkir", "biaya pelatihan"]),
        ("en", "The amount refunded for {x} is wrong", ["my flight", "the seminar", "overtime meals"]),
        ("id", "Jumlah penggantian {x} salah", ["tiket pesawat", "seminar", "uang makan lembur"]),
        ("en", "Can I get my money back for {x} I paid myself", ["the printer ink", "office snacks", "a cab"]),
        ("id", "Apakah uang {x} yang saya talangi bisa diganti", ["tinta printer", "snack kantor", "ojek"]),
        ("en", "Rejected expense claim for {x}, why", ["my phone bill", "the team lunch", "a taxi"]),
        ("id", "Klaim {x} saya ditolak, kenapa ya", ["pulsa", "makan siang tim", "taksi"]),
    ],
    ("FIN", "pembayaran vendor"): [
        ("en", "Vendor {x} says their invoice is overdue", ["PT Maju", "CV Sejahtera", "the cleaning company"]),
        ("id", "Vendor {x} menagih invoice yang sudah jatuh tempo", ["PT Maju", "CV Sejahtera", "katering"]),
        ("en", "Please pay the invoice from {x} this week", ["the caterer", "PT Sinar", "our printer supplier"]),
        ("id", "Tolong bayar tagihan dari {x} minggu ini", ["katering", "PT Sinar", "supplier kertas"]),
        ("en", "Need payment transfer to {x} before Friday", ["the event organiser", "PT Abadi", "the landlord"]),
        ("id", "Perlu transfer pembayaran ke {x} sebelum Jumat", ["EO", "PT Abadi", "pemilik gedung"]),
        ("en", "Did we pay purchase order {x} yet", ["PO-1123", "PO-887", "PO-2201"]),
        ("id", "Apakah PO {x} sudah dibayar", ["1123", "887", "2201"]),
        ("en", "Down payment for {x} is needed to start the project", ["the contractor", "the agency", "PT Karya"]),
        ("id", "Uang muka untuk {x} perlu dibayar agar proyek mulai", ["kontraktor", "agensi", "PT Karya"]),
        ("en", "Tax invoice from {x} is missing for the payment", ["PT Maju", "the supplier", "the vendor"]),
        ("id", "Faktur pajak dari {x} belum ada untuk pembayaran", ["PT Maju", "supplier", "vendor"]),
    ],
    ("FIN", "anggaran"): [
        ("en", "How much budget is left for {x} this quarter", ["marketing", "training", "our department"]),
        ("id", "Sisa anggaran {x} kuartal ini berapa", ["marketing", "pelatihan", "divisi kami"]),
        ("en", "Request a budget increase for {x}", ["the campaign", "the new hires", "equipment"]),
        ("id", "Pengajuan tambahan anggaran untuk {x}", ["kampanye", "karyawan baru", "peralatan"]),
        ("en", "Please approve the budget plan for {x}", ["next year", "the offsite", "Q3"]),
        ("id", "Mohon persetujuan rencana anggaran {x}", ["tahun depan", "outing", "Q3"]),
        ("en", "We overspent the {x} budget, what now", ["travel", "event", "IT"]),
        ("id", "Anggaran {x} kami sudah melebihi batas", ["perjalanan", "acara", "IT"]),
        ("en", "Which cost centre should {x} be charged to", ["the conference", "this purchase", "the software"]),
        ("id", "Biaya {x} masuk ke cost centre mana", ["konferensi", "pembelian ini", "software"]),
        ("en", "Budget report for {x} is needed for the board", ["October", "the first half", "the project"]),
        ("id", "Butuh laporan realisasi anggaran {x} untuk direksi", ["Oktober", "semester 1", "proyek"]),
    ],
}

# (team, category, history text, duplicate request text): the same concrete problem said twice
DUPLICATES = [
    ("IT", "hardware", "The printer on floor 3 keeps jamming paper", "printer lantai 3 macet kertas lagi"),
    ("IT", "hardware", "Projector in room Merapi shows no picture", "Proyektor di ruang Merapi tidak keluar gambar"),
    ("IT", "hardware", "Laptop of Budi in finance will not boot", "laptop pak Budi bagian keuangan tidak bisa booting"),
    ("IT", "hardware", "Monitor at reception has a black screen", "layar monitor resepsionis hitam"),
    ("IT", "software", "Outlook crashes when opening attachments", "Outlook keluar sendiri kalau buka lampiran"),
    ("IT", "software", "SAP shows error 500 when posting invoices", "SAP error 500 waktu posting invoice"),
    ("IT", "software", "Zoom has no sound on my laptop", "Suara Zoom di laptop saya tidak ada"),
    ("IT", "network", "Wifi on floor 5 is down", "wifi lantai 5 mati"),
    ("IT", "network", "VPN disconnects every ten minutes", "VPN putus tiap sepuluh menit"),
    ("IT", "network", "The file server S: drive is unreachable", "drive S: di file server tidak bisa diakses"),
    ("IT", "access", "Please reset the email password of Sinta", "tolong reset password email Sinta"),
    ("IT", "access", "The account of Dimas is locked", "akun Dimas terkunci"),
    ("IT", "access", "Need access to the legal shared folder", "minta akses folder sharing legal"),
    ("LOG", "permintaan barang", "Please order 10 reams of A4 paper", "pesan kertas A4 10 rim ya"),
    ("LOG", "permintaan barang", "We need 6 office chairs for the new team", "butuh 6 kursi kantor untuk tim baru"),
    ("LOG", "permintaan barang", "Request toner cartridges for the HP printer", "minta toner untuk printer HP"),
    ("LOG", "inventaris", "Asset tag missing on camera Canon 80D", "kamera Canon 80D belum ada label asetnya"),
    ("LOG", "inventaris", "Stock of monitors in the warehouse does not match", "stok monitor di gudang tidak cocok"),
    ("LOG", "inventaris", "Returning the borrowed projector to inventory", "mengembalikan proyektor yang dipinjam"),
    ("LOG", "pengiriman", "Send the contract documents to the Surabaya branch", "kirim dokumen kontrak ke cabang Surabaya"),
    ("LOG", "pengiriman", "The delivery of new desks is late", "kiriman meja baru telat"),
    ("LOG", "pengiriman", "Courier pickup needed for the returns today", "perlu kurir jemput barang retur hari ini"),
    ("FAC", "AC", "AC in room 204 is not cold", "AC ruang 204 tidak dingin sama sekali"),
    ("FAC", "AC", "Air conditioner in the server room is leaking", "AC ruang server bocor"),
    ("FAC", "AC", "The meeting room Bromo is too hot", "ruang rapat Bromo panas banget"),
    ("FAC", "kebersihan", "Toilet on floor 2 smells bad", "toilet lantai 2 bau sekali"),
    ("FAC", "kebersihan", "Cockroaches in the pantry of floor 4", "ada kecoa di pantry lantai 4"),
    ("FAC", "kebersihan", "Coffee spilled on the lobby carpet", "karpet lobi kena tumpahan kopi"),
    ("FAC", "perbaikan", "The elevator in building B is stuck", "lift gedung B macet"),
    ("FAC", "perbaikan", "Door of the archive room cannot be locked", "pintu ruang arsip tidak bisa dikunci"),
    ("FAC", "perbaikan", "Ceiling leak above desk 12 when it rains", "plafon bocor di atas meja 12 kalau hujan"),
    ("FAC", "ruang rapat", "Book room Semeru on Thursday 2pm", "pesan ruang Semeru Kamis jam 2 siang"),
    ("FAC", "ruang rapat", "Room Rinjani is double booked on Friday", "ruang Rinjani dobel booking hari Jumat"),
    ("FAC", "ruang rapat", "Set up 30 chairs in the auditorium for the town hall", "siapkan 30 kursi di auditorium untuk town hall"),
    ("FIN", "reimbursement", "My taxi reimbursement from October is unpaid", "reimburse taksi bulan Oktober belum cair"),
    ("FIN", "reimbursement", "Hotel expense claim for the Bali trip", "klaim biaya hotel perjalanan ke Bali"),
    ("FIN", "reimbursement", "Wrong amount refunded for my flight ticket", "penggantian tiket pesawat saya kurang"),
    ("FIN", "pembayaran vendor", "PT Maju invoice 2231 is overdue", "invoice PT Maju nomor 2231 sudah lewat jatuh tempo"),
    ("FIN", "pembayaran vendor", "Pay the caterer before Friday", "bayar katering sebelum hari Jumat"),
    ("FIN", "pembayaran vendor", "Was PO-887 paid already", "PO-887 sudah dibayar belum"),
    ("FIN", "anggaran", "Remaining marketing budget for Q4", "sisa anggaran marketing Q4 berapa"),
    ("FIN", "anggaran", "Training budget is overspent", "anggaran pelatihan sudah over"),
]

QUANTITIES, CITIES = ["3", "10", "25"], ["Surabaya", "Medan", "Makassar"]
PER_CATEGORY = 22  # generated rows kept per category (history + request), before duplicates


def rows() -> list[dict]:
    rng = random.Random(15)
    out: list[dict] = []
    for (team, category), templates in T.items():
        made = []
        for index, (lang, template, fillers) in enumerate(templates):
            split = "history" if index % 2 == 0 else "request"
            for filler in fillers:
                second = CITIES if "kirim" in template or "branch" in template else QUANTITIES
                text = template.format(x=filler, x2=rng.choice(second))
                text = text[0].upper() + text[1:]
                made.append({"lang": lang, "team": team, "category": category, "text": text, "split": split,
                             "dup_of": ""})
        rng.shuffle(made)
        out += sorted(made[:PER_CATEGORY], key=lambda r: r["split"])
    for team, category, original, duplicate in DUPLICATES:
        out.append({"lang": "en", "team": team, "category": category, "text": original, "split": "history",
                    "dup_of": ""})
        out.append({"lang": "id", "team": team, "category": category, "text": duplicate, "split": "request",
                    "dup_of": "ORIG"})
    for number, row in enumerate(out, 1):
        row["id"] = str(number)
        if row["dup_of"] == "ORIG":
            row["dup_of"] = str(number - 1)
    return out


if __name__ == "__main__":
    with Path(__file__).with_name("triage_requests.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=["id", "lang", "team", "category", "split", "dup_of", "text"])
        writer.writeheader()
        writer.writerows(rows())
