"""Invented name and place material for synthetic casualty lists (SYNTHETIC — no real person).

Each name is written in Arabic script with several Latin spellings, in the order of the
transliteration schemes the generator uses (0: English-style, 1: French-style, 2: scholarly or
loose). Names are common Syrian given names and surnames; every combination the generator makes,
every village and every district is invented.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Spelled:
    """A name in Arabic script with its Latin spellings, one per transliteration scheme."""

    arabic: str
    latin: tuple[str, ...]

    def in_scheme(self, scheme: int) -> str:
        return self.latin[scheme % len(self.latin)]


def _table(text: str) -> tuple[Spelled, ...]:
    rows = []
    for line in text.strip().splitlines():
        arabic, latin = line.split("|")
        rows.append(Spelled(arabic.strip(), tuple(s.strip() for s in latin.split(","))))
    return tuple(rows)


MALE_GIVEN = _table(
    """
    محمد|Mohammad, Mohamed, Muhammad, Mohammed
    علي|Ali, Ali, Aly
    حسن|Hassan, Hassan, Hasan
    حسين|Hussein, Houssein, Husayn
    أحمد|Ahmad, Ahmed, Ahmad
    محمود|Mahmoud, Mahmoud, Mahmud
    سليمان|Suleiman, Sleiman, Sulayman
    إبراهيم|Ibrahim, Ibrahim, Ebrahim
    يوسف|Yousef, Youssef, Yusuf
    عيسى|Issa, Issa, Isa
    جعفر|Jaafar, Jaafar, Ja'far
    حيدر|Haidar, Haydar, Hayder
    عباس|Abbas, Abbas, 'Abbas
    غياث|Ghiath, Ghiath, Ghiyath
    نزار|Nizar, Nizar, Nezar
    بسام|Bassam, Bassam, Basam
    فادي|Fadi, Fadi, Fady
    رامي|Rami, Rami, Ramy
    سامر|Samer, Samer, Samir
    وائل|Wael, Wael, Wa'il
    مازن|Mazen, Mazen, Mazin
    ماهر|Maher, Maher, Mahir
    كمال|Kamal, Kamal, Kamel
    جمال|Jamal, Djamal, Jamal
    خليل|Khalil, Khalil, Khaleel
    نبيل|Nabil, Nabil, Nabeel
    عماد|Imad, Imad, Emad
    علاء|Alaa, Alaa, Ala'
    غسان|Ghassan, Ghassan, Ghasan
    ياسر|Yaser, Yasser, Yasir
    منذر|Munzer, Monzer, Mundhir
    رياض|Riyad, Riad, Riyadh
    فراس|Firas, Firas, Feras
    أيمن|Ayman, Aymane, Aiman
    باسل|Basel, Bassel, Basil
    حسام|Hussam, Houssam, Husam
    شادي|Shadi, Chadi, Shady
    طارق|Tarek, Tarek, Tariq
    زياد|Ziad, Ziad, Ziyad
    مصطفى|Mustafa, Moustafa, Mostafa
    عدنان|Adnan, Adnane, 'Adnan
    توفيق|Tawfiq, Toufic, Tawfik
    نديم|Nadim, Nadim, Nadeem
    هيثم|Haitham, Haytham, Haytham
    سهيل|Suhail, Souhail, Suhayl
    جابر|Jaber, Jaber, Jabir
    صالح|Saleh, Saleh, Salih
    منير|Munir, Mounir, Muneer
    عمار|Ammar, Ammar, 'Ammar
    أسامة|Osama, Oussama, Usama
    قاسم|Qasem, Kassem, Qasim
    ناصر|Naser, Nasser, Nasir
    عبد الرحمن|Abd al-Rahman, Abdul Rahman, Abdulrahman
    عبد الله|Abdullah, Abdallah, Abd Allah
    """
)

FEMALE_GIVEN = _table(
    """
    فاطمة|Fatima, Fatima, Fatimah
    زينب|Zainab, Zeinab, Zaynab
    مريم|Maryam, Mariam, Meriem
    هالة|Hala, Hala, Halah
    ريما|Rima, Rima, Reema
    سمر|Samar, Samar, Samar
    نور|Nour, Nour, Nur
    رنا|Rana, Rana, Rana
    سعاد|Suad, Souad, Su'ad
    ليلى|Layla, Leila, Laila
    هدى|Huda, Houda, Hoda
    أمل|Amal, Amal, Amal
    رغد|Raghad, Raghad, Raghad
    سلمى|Salma, Salma, Selma
    وفاء|Wafaa, Wafa, Wafa'
    ندى|Nada, Nada, Nada
    منى|Muna, Mouna, Mona
    خديجة|Khadija, Khadija, Khadijah
    """
)

FAMILY = _table(
    """
    إسماعيل|Ismail, Ismail, Esmail
    ديوب|Dayoub, Dayoub, Diyoub
    خضور|Khaddour, Khaddour, Khadur
    شاهين|Shaheen, Chahine, Shahin
    حمدان|Hamdan, Hamdane, Hamdan
    ميهوب|Mayhoub, Mayhoub, Mihoub
    يونس|Younes, Younes, Yunus
    علوش|Alloush, Allouche, 'Allush
    سلوم|Salloum, Salloum, Sallum
    الخير|al-Khayer, El Khayer, Al Khair
    محفوض|Mahfoud, Mahfoud, Mahfud
    ونوس|Wannous, Wannous, Wanus
    زيدان|Zeidan, Zeidane, Zaydan
    بدور|Baddour, Baddour, Badur
    نصور|Nassour, Nassour, Nasur
    كنعان|Kanaan, Kanaan, Kan'an
    معروف|Maarouf, Marouf, Ma'ruf
    صقر|Saqr, Sakr, Saqer
    الأحمد|al-Ahmad, El Ahmad, Al Ahmed
    العلي|al-Ali, El Ali, Al Aly
    درويش|Darwish, Darwiche, Derwish
    مرهج|Marhaj, Merhej, Murhij
    غانم|Ghanem, Ghanem, Ghanim
    شعبان|Shaaban, Chaabane, Sha'ban
    حرفوش|Harfoush, Harfouche, Harfush
    عجيب|Ajib, Ajib, 'Ajeeb
    قدور|Qaddour, Kaddour, Qadur
    ناصيف|Nassif, Nassif, Nasif
    رستم|Rustom, Rostom, Rustum
    بركات|Barakat, Barakat, Barakat
    حاتم|Hatem, Hatem, Hatim
    عمران|Omran, Omrane, 'Umran
    سعيد|Saeed, Said, Sa'id
    الحسن|al-Hasan, El Hassan, Al Hassan
    """
)

VILLAGE_HEADS = _table(
    """
    عين|Ain, Ain, Ayn
    بيت|Beit, Beit, Bayt
    دير|Deir, Deir, Dayr
    كفر|Kafr, Kfar, Kafr
    جب|Jubb, Jebb, Jubb
    بستان|Bustan, Bostan, Bustan
    """
)

VILLAGE_TAILS = _table(
    """
    الزيتون|al-Zaytoun, ez-Zeitoun, al-Zaytun
    الريحان|al-Rayhan, er-Reihane, al-Rayhan
    السنديان|al-Sindyan, es-Sendiane, al-Sindiyan
    الغار|al-Ghar, el-Ghar, al-Ghar
    الحور|al-Hour, el-Hour, al-Hawr
    الكرمة|al-Karma, el-Karmé, al-Karmah
    الصفصاف|al-Safsaf, es-Safsaf, al-Safsaf
    الدلب|al-Dulb, ed-Delb, al-Dulb
    النسر|al-Nisr, en-Nesr, al-Nasr
    الخروب|al-Kharroub, el-Kharroub, al-Kharrub
    """
)

DISTRICTS = _table(
    """
    منطقة النسيم|Naseem District, District de Nassim, Nasim
    منطقة الغيم|Ghaym District, District de Ghaim, Ghaym
    منطقة القمر|Qamar District, District de Kamar, Qamar
    """
)

GOVERNORATE = Spelled("محافظة الساحل التجريبية", ("Sahil Test Governorate",))

UNKNOWN_NAMES = ("مجهول", "مجهول الهوية", "unknown", "Unidentified")

SYNTHETIC_NOTE = "SYNTHETIC TEST DATA - invented people and places"

# Compound given names (two words in Arabic), for the realistic lists' spacing and gluing.
COMPOUND_GIVEN = _table(
    """
    عبد الكريم|Abd al-Karim, Abdel Karim, Abdulkarim
    عبد الرزاق|Abd al-Razzaq, Abdel Razzak, Abdulrazzaq
    عبد الحميد|Abd al-Hamid, Abdel Hamid, Abdulhamid
    نصر الدين|Nasr al-Din, Nasreddine, Nasruddin
    عز الدين|Izz al-Din, Ezzeddine, Izzuddin
    نور الدين|Nur al-Din, Noureddine, Nuruddin
    سيف الدين|Sayf al-Din, Seifeddine, Saifuddin
    """
)

# Invented neighbourhoods of the demo gazetteer's two invented towns (SYNTHETIC).
NEIGHBOURHOODS = _table(
    """
    حي الخيال|Hayy al-Khayal, Hay el-Khayal, Hay al-Khayal
    حي السراب|Hayy al-Sarab, Hay es-Sarab, Hay al-Sarab
    حي الأمثولة|Hayy al-Umthula, Hay el-Omthoula, Hay al-Umthulah
    حي الحكايا|Hayy al-Hakaya, Hay el-Hakaya, Hay al-Hakaya
    """
)

# More family names, for realistic cases only (a region has many families; each village few).
MORE_FAMILY = _table(
    """
    عثمان|Othman, Osman, 'Uthman
    حداد|Haddad, Haddad, Hadad
    خوري|Khoury, Khoury, Khuri
    نجار|Najjar, Nadjar, Najar
    عيسى|Issa, Issa, 'Isa
    موسى|Moussa, Moussa, Musa
    الحلبي|al-Halabi, El Halabi, Al Halaby
    الشامي|al-Shami, Ech Chami, Al Shamy
    قاسم|Qasem, Kassem, Qasim
    رجب|Rajab, Rajab, Ragab
    شحادة|Shehadeh, Chehade, Shahada
    الحمود|al-Hamoud, El Hammoud, Al Hamud
    السيد|al-Sayed, El Sayed, Al Said
    عبود|Abboud, Abboud, 'Abbud
    جبور|Jabbour, Jabbour, Jabur
    طعمة|Tohme, Tohmé, Tu'ma
    الخطيب|al-Khatib, El Khatib, Al Khateeb
    منصور|Mansour, Mansour, Mansur
    سليم|Salim, Selim, Saleem
    اسكندر|Iskandar, Skandar, Eskandar
    الجندي|al-Jundi, El Joundi, Al Jindi
    المصري|al-Masri, El Masri, Al Misri
    بلال|Bilal, Bilal, Belal
    الأسعد|al-Asaad, El Assaad, Al As'ad
    زهرة|Zahra, Zahra, Zahrah
    عاقل|Aqel, Akel, 'Aqil
    نعمان|Numan, Noomane, Nu'man
    سرحان|Sarhan, Sarhane, Serhan
    الصالح|al-Saleh, El Saleh, Al Salih
    هلال|Hilal, Hilal, Helal
    شريف|Sharif, Cherif, Shareef
    ضاهر|Daher, Daher, Dahir
    الجرف|al-Jurf, El Jorf, Al Jurf
    فاضل|Fadel, Fadel, Fadil
    رمضان|Ramadan, Ramadane, Ramadhan
    صبح|Sobh, Sobh, Subh
    """
)
