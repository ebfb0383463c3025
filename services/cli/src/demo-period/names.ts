/**
 * Word lists for made-up Indonesian people and places in Tangerang Selatan. Every person
 * built from them is fictitious; the kecamatan and kelurahan are real place names.
 */

/** Given names of men. */
export const MALE_NAMES: readonly string[] = [
  'Muhammad', 'Ahmad', 'Rizki', 'Fajar', 'Dimas', 'Arif', 'Budi', 'Andi', 'Agus', 'Hendra', 'Yusuf', 'Ilham', 'Reza',
  'Fikri', 'Aditya', 'Bayu', 'Galih', 'Hafiz', 'Irfan', 'Joko', 'Kevin', 'Lukman', 'Naufal', 'Rafi', 'Rangga',
  'Rudi', 'Sandi', 'Taufik', 'Wahyu', 'Yoga', 'Zaki', 'Dedi', 'Eko', 'Fauzan', 'Gilang', 'Hanif', 'Imam', 'Krisna',
  'Maulana', 'Nanda', 'Putra', 'Ridwan', 'Satria', 'Teguh', 'Umar', 'Wildan', 'Yudha', 'Daniel', 'Samuel', 'Josua',
  'Rio', 'Tri', 'Arya', 'Bagas', 'Danu', 'Faisal', 'Hadi', 'Iqbal', 'Kurnia', 'Lutfi',
];

/** Given names of women. */
export const FEMALE_NAMES: readonly string[] = [
  'Siti', 'Nur', 'Dewi', 'Putri', 'Rina', 'Ayu', 'Fitri', 'Indah', 'Lestari', 'Maya', 'Nadia', 'Rahma', 'Sari',
  'Wulan', 'Yuni', 'Anisa', 'Dina', 'Eka', 'Fajriah', 'Gita', 'Hana', 'Intan', 'Kartika', 'Lia', 'Mega', 'Nabila',
  'Novi', 'Okta', 'Puspita', 'Ratna', 'Salsabila', 'Tiara', 'Utami', 'Vina', 'Winda', 'Yulia', 'Zahra', 'Aulia',
  'Bunga', 'Citra', 'Desi', 'Elisa', 'Farah', 'Hesti', 'Irma', 'Jihan', 'Laras', 'Mutiara', 'Nia', 'Rani', 'Rosa',
  'Sinta', 'Tasya', 'Ulfa', 'Vera', 'Aisyah', 'Dian', 'Melati', 'Nurul', 'Septi',
];

/** Second given names of men. */
export const MIDDLE_NAMES_MALE: readonly string[] = ['Nur', 'Dwi', 'Tri', 'Eka', 'Adi', 'Indra', 'Rizky', 'Aji', 'Agung', 'Dimas', 'Fajar'];

/** Second given names of women. */
export const MIDDLE_NAMES_FEMALE: readonly string[] = ['Nur', 'Dwi', 'Tri', 'Eka', 'Ayu', 'Dian', 'Putri', 'Fitri', 'Maulida', 'Sri', 'Indah'];

/** Batak marga: very common, and shared by thousands of unrelated people. */
export const MARGA: readonly string[] = [
  'Siregar', 'Nasution', 'Hasibuan', 'Lubis', 'Harahap', 'Simanjuntak', 'Sitompul', 'Pane', 'Tanjung', 'Daulay',
  'Pohan', 'Sinaga', 'Situmorang', 'Pardede', 'Simatupang', 'Hutagalung', 'Panjaitan',
];

/** Weights of MARGA (the first four are the most frequent). */
export const MARGA_WEIGHTS: readonly number[] = [10, 10, 7, 7, 5, 4, 3, 3, 3, 3, 2, 3, 3, 2, 2, 2, 2];

/** Family or last names of other origins (Javanese, Sundanese, Betawi, Minang, Bugis ...). */
export const LAST_NAMES_MALE: readonly string[] = [
  'Pratama', 'Saputra', 'Santoso', 'Wibowo', 'Nugroho', 'Hidayat', 'Kurniawan', 'Setiawan', 'Permana', 'Ramadhan',
  'Firmansyah', 'Maulana', 'Hakim', 'Syahputra', 'Gunawan', 'Prasetyo', 'Susanto', 'Hermawan', 'Suryadi', 'Rahman',
  'Fadillah', 'Wijaya', 'Kusuma', 'Purnomo', 'Sutisna', 'Sopandi', 'Rusdi', 'Syamsudin', 'Effendi', 'Anwar',
];

/** Last names of women. */
export const LAST_NAMES_FEMALE: readonly string[] = [
  'Lestari', 'Rahmawati', 'Wulandari', 'Puspitasari', 'Suryani', 'Handayani', 'Kurniasih', 'Safitri', 'Maharani',
  'Anggraini', 'Permatasari', 'Oktaviani', 'Nurhaliza', 'Fauziah', 'Rahayu', 'Susanti', 'Hidayati', 'Amalia',
  'Novitasari', 'Pertiwi', 'Ramadhani', 'Azzahra', 'Setiawati', 'Marlina', 'Yuliani',
];

/** Names of fathers of a generation earlier (one or two words). */
export const OLDER_MALE_NAMES: readonly string[] = [
  'Sutrisno', 'Bambang', 'Suparman', 'Slamet', 'Wahyudi', 'Haryanto', 'Mulyadi', 'Sukardi', 'Darmawan', 'Syamsul',
  'Hasan', 'Abdullah', 'Usman', 'Jamaludin', 'Rohmat', 'Sugiarto', 'Nurdin', 'Zainal', 'Marzuki', 'Supriyadi',
  'Herman', 'Darsono', 'Muchtar', 'Yusran', 'Asep', 'Ujang', 'Kosasih', 'Rahmat', 'Saiful', 'Tarmizi',
];

/** Names of mothers of a generation earlier. */
export const OLDER_FEMALE_NAMES: readonly string[] = [
  'Sri Wahyuni', 'Nurhayati', 'Siti Aminah', 'Sumiati', 'Yati', 'Endang', 'Suryani', 'Rohani', 'Nining', 'Kartini',
  'Mulyani', 'Sulastri', 'Ernawati', 'Hartati', 'Rusmini', 'Tuti', 'Yusnidar', 'Rosmawati', 'Juleha', 'Masitoh',
  'Dahlia', 'Farida', 'Halimah', 'Jubaedah', 'Kokom', 'Lilis', 'Maryam', 'Nani', 'Samsiah', 'Zubaidah',
];

/** Kecamatan of Kota Tangerang Selatan with their kelurahan and the NIK district code used here. */
export const KECAMATAN: readonly { readonly name: string; readonly code: string; readonly kelurahan: readonly string[] }[] = [
  { name: 'Serpong', code: '01', kelurahan: ['Buaran', 'Ciater', 'Cilenggang', 'Lengkong Gudang', 'Lengkong Wetan', 'Rawa Buntu', 'Rawa Mekar Jaya', 'Serpong'] },
  { name: 'Serpong Utara', code: '02', kelurahan: ['Jelupang', 'Lengkong Karya', 'Pakualam', 'Pakulonan', 'Paku Jaya', 'Pondok Jagung', 'Pondok Jagung Timur'] },
  { name: 'Ciputat', code: '03', kelurahan: ['Cipayung', 'Ciputat', 'Jombang', 'Sawah', 'Sawah Baru', 'Serua', 'Serua Indah'] },
  { name: 'Ciputat Timur', code: '04', kelurahan: ['Cempaka Putih', 'Cireundeu', 'Pisangan', 'Pondok Ranji', 'Rempoa', 'Rengas'] },
  { name: 'Pamulang', code: '05', kelurahan: ['Bambu Apus', 'Benda Baru', 'Kedaung', 'Pamulang Barat', 'Pamulang Timur', 'Pondok Benda', 'Pondok Cabe Ilir', 'Pondok Cabe Udik'] },
  { name: 'Pondok Aren', code: '06', kelurahan: ['Jurang Mangu Barat', 'Jurang Mangu Timur', 'Perigi Baru', 'Perigi Lama', 'Pondok Aren', 'Pondok Betung', 'Pondok Kacang Barat', 'Pondok Kacang Timur', 'Pondok Karya', 'Pondok Pucung'] },
  { name: 'Setu', code: '07', kelurahan: ['Babakan', 'Bakti Jaya', 'Kademangan', 'Keranggan', 'Muncul', 'Setu'] },
];

/** Street names (Jl. or Gg.). */
export const STREETS: readonly string[] = [
  'Jl. Pajajaran', 'Jl. Siliwangi', 'Jl. Surya Kencana', 'Jl. Pahlawan Seribu', 'Jl. Raya Serpong', 'Jl. Ki Hajar Dewantara',
  'Jl. WR Supratman', 'Jl. Cendrawasih', 'Jl. Merpati', 'Jl. Kenanga', 'Jl. Melati', 'Jl. Mawar', 'Jl. Flamboyan',
  'Jl. H. Usman', 'Jl. Dewi Sartika', 'Jl. Aria Putra', 'Jl. Otista Raya', 'Jl. Talas', 'Jl. Bhakti', 'Jl. Puspitek',
  'Jl. Raya Setu', 'Jl. Benda Timur', 'Jl. Pondok Cabe Raya', 'Jl. Graha Raya', 'Gg. Haji Naim', 'Gg. Masjid Al-Ikhlas',
  'Jl. Rawa Lele', 'Jl. Kemuning', 'Jl. Jombang Raya', 'Jl. Sawo', 'Jl. Nusa Indah', 'Jl. Anggrek', 'Jl. Beringin',
  'Jl. Pinang', 'Jl. Salak', 'Jl. Delima', 'Jl. Rambutan', 'Jl. Cempaka', 'Jl. Teratai', 'Jl. Serua Raya',
];

/** Places outside Tangsel where some applicants live (kabupaten/kota, NIK regency code). */
export const OTHER_CITIES: readonly { readonly city: string; readonly kec: readonly string[]; readonly regency: string }[] = [
  { city: 'Kabupaten Tangerang', kec: ['Pagedangan', 'Cisauk', 'Legok', 'Curug', 'Kelapa Dua'], regency: '03' },
  { city: 'Kota Tangerang', kec: ['Ciledug', 'Karang Tengah', 'Larangan', 'Pinang', 'Cipondoh'], regency: '71' },
  { city: 'Kota Serang', kec: ['Cipocok Jaya', 'Serang', 'Taktakan'], regency: '73' },
  { city: 'Kabupaten Serang', kec: ['Kramatwatu', 'Ciruas', 'Anyar'], regency: '04' },
  { city: 'Kabupaten Pandeglang', kec: ['Labuan', 'Menes', 'Pandeglang'], regency: '01' },
  { city: 'Kabupaten Lebak', kec: ['Rangkasbitung', 'Maja', 'Cibadak'], regency: '02' },
  { city: 'Kota Cilegon', kec: ['Cibeber', 'Jombang', 'Pulomerak'], regency: '72' },
];

/** Mobile number prefixes (Telkomsel, Indosat, XL, Tri, Smartfren). */
export const PHONE_PREFIXES: readonly string[] = [
  '0811', '0812', '0813', '0821', '0822', '0823', '0852', '0853', '0814', '0815', '0816', '0855', '0856', '0857',
  '0858', '0817', '0818', '0819', '0859', '0877', '0878', '0895', '0896', '0897', '0898', '0881', '0882', '0887',
];

/** E-mail domains. */
export const EMAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ['gmail.com', 80],
  ['yahoo.co.id', 8],
  ['yahoo.com', 5],
  ['outlook.com', 4],
  ['ymail.com', 3],
];

/** Universities behind the S-1/D-3 diplomas (informational, sealed only). */
export const UNIVERSITIES: readonly string[] = [
  'UIN Syarif Hidayatullah Jakarta', 'Universitas Pamulang', 'Universitas Sultan Ageng Tirtayasa', 'Universitas Negeri Jakarta',
  'Universitas Indonesia', 'Universitas Muhammadiyah Jakarta', 'Institut Teknologi Indonesia', 'Universitas Terbuka',
  'Poltekkes Kemenkes Banten', 'Universitas Pendidikan Indonesia', 'Universitas Islam Negeri Sultan Maulana Hasanuddin Banten',
];
