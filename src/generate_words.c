/* generate_words.c - the names, places and stories the generator draws on,
 * and the demo hub written out case by case.
 *
 * Everything here is invented.  The town of Kestrelford, its streets,
 * schools and surgeries do not exist; postcodes use the area "ZZ", which
 * no real postcode has; telephone numbers come from the ranges Ofcom keeps
 * for drama (01632 960xxx, 07700 900xxx); e-mail domains end in .example.
 * Names are common given names and surnames put together at random, so any
 * likeness to a real person is chance.  The stories are written soberly:
 * enough for a practitioner to recognise the kind of case, nothing graphic.
 *
 * Text markers (see struct gen_tmpl): @ given name, ~ she/he, ^ her/his,
 * * her/him, & She/He, ` Her/His. */
#define MASHDESK_GENERATE_INTERNAL
#include "mashdesk/generate.h"

#include <stddef.h>

#define LIST(a) { a, sizeof a / sizeof a[0] }

/* ---- heritage groups -------------------------------------------------- */

const struct gen_group gen_groups[] = {
	{ "White British", "English", 50, 0,
	  { "Olivia", "Amelia", "Isla", "Freya", "Poppy", "Evie", "Lily-Mae", "Harper" },
	  { "Oliver", "Harry", "Alfie", "Charlie", "Noah", "Leo", "Theo", "Riley" },
	  { "Ashworth", "Pennington", "Hollins", "Marsden", "Fairclough", "Brindley",
	    "Coldwell", "Thackway" },
	  { "Gemma", "Kirsty", "Leanne", "Danielle", "Stacey", "Charlotte", "Hayley", "Rachel" },
	  { "Craig", "Jamie", "Liam", "Darren", "Scott", "Nathan", "Lee", "Ryan" } },
	{ "White Irish", "English", 3, 0,
	  { "Siobhán", "Aoife", "Niamh", "Caoimhe", "Saoirse", "Róisín", "Orla", "Clodagh" },
	  { "Cian", "Oisín", "Darragh", "Pádraig", "Ciarán", "Seán", "Tadhg", "Eoin" },
	  { "Kearney", "Flanagan", "Ó Briain", "MacCarthy", "Gallagher", "Quinlan",
	    "Tierney", "Madigan" },
	  { "Bríd", "Máire", "Deirdre", "Gráinne", "Sinéad", "Aisling", "Eimear", "Fionnuala" },
	  { "Declan", "Colm", "Fergal", "Donal", "Éamon", "Ruairí", "Kieran", "Séamus" } },
	{ "White Polish", "Polish", 6, 0,
	  { "Zofia", "Zuzanna", "Maja", "Łucja", "Hanna", "Julia", "Wiktoria", "Alicja" },
	  { "Antoni", "Jakub", "Szymon", "Filip", "Mikołaj", "Kacper", "Wojciech", "Stanisław" },
	  { "Nowak", "Wójcik", "Kaczmarek", "Mazur", "Zając", "Król", "Wróbel", "Dudek" },
	  { "Agnieszka", "Katarzyna", "Małgorzata", "Magdalena", "Joanna", "Ewa", "Dorota", "Anna" },
	  { "Łukasz", "Tomasz", "Paweł", "Grzegorz", "Krzysztof", "Marcin", "Piotr", "Michał" } },
	{ "White Romanian", "Romanian", 4, 0,
	  { "Ana-Maria", "Ioana", "Bianca", "Andreea", "Ștefania", "Daria", "Alexandra", "Irina" },
	  { "Andrei", "Mihai", "Ștefan", "Luca", "Răzvan", "Cosmin", "Vlad", "Gabriel" },
	  { "Popescu", "Ionescu", "Dumitru", "Stan", "Constantin", "Munteanu", "Păun", "Rusu" },
	  { "Elena", "Mirela", "Cristina", "Florina", "Georgiana", "Ramona", "Loredana", "Simona" },
	  { "Marius", "Adrian", "Florin", "Ionuț", "Cătălin", "Sorin", "Dorin", "Costel" } },
	{ "Black African", "English", 6, 0,
	  { "Tolulope", "Adaeze", "Chiamaka", "Ifeoma", "Folake", "Temitope", "Ngozi", "Blessing" },
	  { "Oluwaseun", "Chinedu", "Ayomide", "Emeka", "Tobiloba", "Obinna", "Femi", "Kelechi" },
	  { "Adeyemi", "Okafor", "Bakare", "Nwosu", "Ezeh", "Ogunleye", "Adebanjo", "Onyekachi" },
	  { "Folasade", "Chioma", "Funmilayo", "Abimbola", "Nneka", "Yetunde", "Ifeyinwa", "Bisola" },
	  { "Babatunde", "Chukwuemeka", "Olumide", "Segun", "Ikenna", "Adewale", "Nnamdi", "Kayode" } },
	{ "Black African - Somali", "Somali", 3, 0,
	  { "Hodan", "Ayan", "Ifrah", "Nimco", "Sagal", "Hibo", "Ubah", "Farhiya" },
	  { "Ahmed", "Abdirahman", "Mohamed", "Hassan", "Liban", "Yusuf", "Abdullahi", "Mahad" },
	  { "Yusuf", "Warsame", "Abdi", "Jama", "Hersi", "Osman", "Duale", "Guleid" },
	  { "Fadumo", "Hawa", "Sahra", "Khadra", "Amina", "Shukri", "Deeqa", "Faiza" },
	  { "Abdi", "Omar", "Said", "Ismail", "Mahamud", "Bashir", "Guled", "Nur" } },
	{ "Pakistani", "Urdu", 7, 0,
	  { "Aisha", "Maryam", "Zainab", "Hafsa", "Iqra", "Safa", "Mahnoor", "Anaya" },
	  { "Hamza", "Ibrahim", "Zayan", "Rayyan", "Ayaan", "Musa", "Haris", "Bilal" },
	  { "Iqbal", "Qureshi", "Hussain", "Butt", "Rashid", "Mahmood", "Akhtar", "Siddiqui" },
	  { "Nasreen", "Shazia", "Saima", "Rubina", "Farzana", "Sadia", "Bushra", "Tahira" },
	  { "Imran", "Tariq", "Asif", "Naveed", "Shahid", "Zahid", "Kamran", "Adeel" } },
	{ "Bangladeshi", "Bengali (Sylheti)", 3, 0,
	  { "Tahmina", "Nusrat", "Sumaiya", "Ruksana", "Afsana", "Jannat", "Lamia", "Tasnim" },
	  { "Farhan", "Rahim", "Tanvir", "Sabbir", "Arif", "Nayeem", "Shahed", "Rafiq" },
	  { "Chowdhury", "Rahman", "Uddin", "Miah", "Hoque", "Sarkar", "Talukdar", "Karim" },
	  { "Shahida", "Rehana", "Salma", "Jahanara", "Momtaz", "Rokeya", "Parvin", "Shirin" },
	  { "Abdul", "Jamal", "Kamal", "Mizanur", "Shafiq", "Anwar", "Habib", "Nurul" } },
	{ "Vietnamese", "Vietnamese", 2, 0,
	  { "Minh Anh", "Thu Hà", "Ngọc Lan", "Bảo Ngọc", "Khánh Linh", "Phương Thảo",
	    "Mai Anh", "Thảo Vy" },
	  { "Minh Quân", "Đức Anh", "Gia Huy", "Hoàng Nam", "Bảo Long", "Tuấn Kiệt",
	    "Quốc Bảo", "Thanh Tùng" },
	  { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi" },
	  { "Thị Lan", "Thu Trang", "Hồng Nhung", "Thanh Hương", "Ngọc Ánh", "Kim Oanh",
	    "Hải Yến", "Thúy Hằng" },
	  { "Văn Hùng", "Quang Huy", "Minh Tuấn", "Đức Thắng", "Văn Nam", "Hữu Phước",
	    "Thanh Sơn", "Công Vinh" } },
	{ "Chinese", "Mandarin", 2, 1,
	  { "美玲", "欣怡", "子涵", "雨桐", "思琪", "佳怡", "梓萱", "诗涵" },
	  { "浩然", "子轩", "宇航", "俊杰", "博文", "嘉豪", "志明", "天佑" },
	  { "陈", "黄", "林", "周", "吴", "郑", "何", "梁" },
	  { "丽华", "晓雯", "秀英", "慧敏", "淑仪", "美华", "婉婷", "静怡" },
	  { "国平", "建华", "伟强", "志坚", "家明", "永康", "德辉", "振华" } },
	{ "Black Caribbean", "English", 5, 0,
	  { "Shanice", "Kiara", "Tia", "Jada", "Aaliyah", "Imani", "Kayla", "Nia" },
	  { "Jayden", "Tyrese", "Malachi", "Isaiah", "Kaiden", "Elijah", "Josiah", "Reuben" },
	  { "Campbell", "Henry", "Francis", "Clarke", "Forbes", "Grant", "Bailey", "Samuels" },
	  { "Marcia", "Sharon", "Natalie", "Keisha", "Paulette", "Donna", "Janelle", "Chantelle" },
	  { "Delroy", "Winston", "Marlon", "Andre", "Leon", "Clinton", "Dwayne", "Errol" } },
	{ "White - other European", "Portuguese", 4, 0,
	  { "Zoë", "Inês", "Sofía", "Chiara", "Beatriz", "Matilde", "Lucía", "Giulia" },
	  { "Tomás", "João", "Mateo", "Luca", "Rafael", "Diogo", "Nicolás", "Matteo" },
	  { "Barros", "Moreno", "Ferreira", "Marchetti", "Oliveira", "Castillo", "Rinaldi", "Sousa" },
	  { "Raquel", "Filipa", "Carmen", "Valentina", "Patrícia", "Elisa", "Marta", "Inmaculada" },
	  { "Rui", "Javier", "Paolo", "Nuno", "Sergio", "André", "Marco", "Hugo" } },
	{ "Arab", "Arabic", 2, 0,
	  { "Amira", "Layla", "Rania", "Yasmin", "Salma", "Noor", "Huda", "Reem" },
	  { "Omar", "Karim", "Yusuf", "Sami", "Adam", "Khaled", "Tariq", "Zaid" },
	  { "Haddad", "Khoury", "Mansour", "Nassar", "Saleh", "Darwish", "Hamdan", "Aziz" },
	  { "Rasha", "Dina", "Samira", "Lina", "Maha", "Hanan", "Nisreen", "Ghada" },
	  { "Bassam", "Fadi", "Walid", "Hisham", "Nabil", "Ziad", "Majid", "Rami" } },
	{ "Indian", "Punjabi", 3, 0,
	  { "Simran", "Harleen", "Jasleen", "Navneet", "Gurleen", "Amrit", "Manpreet", "Kiranjit" },
	  { "Arjun", "Harjot", "Jasraj", "Karanveer", "Gurveer", "Ishaan", "Tegbir", "Ravneet" },
	  { "Sandhu", "Gill", "Dhillon", "Sidhu", "Bains", "Johal", "Grewal", "Virdi" },
	  { "Rajinder", "Balwinder", "Sukhwinder", "Parminder", "Harjit", "Kulwant",
	    "Jaswinder", "Gurdeep" },
	  { "Sukhdev", "Jaspal", "Kuldip", "Baljit", "Ranjit", "Mandeep", "Daljit", "Amarjit" } },
};
const unsigned gen_ngroups = sizeof gen_groups / sizeof gen_groups[0];

/* ---- places ------------------------------------------------------------ */

static const char *const streets[] = {
	"Larkhill Rise", "Tamarisk Close", "Wherry Lane", "Osier Walk", "Cressing Row",
	"Fennel Way", "Quillon Street", "Marram Drive", "Pellow Street", "Tanyard Close",
	"Gorsefield Avenue", "Cobnut Lane", "Ropewalk Court", "Saltings Road",
	"Linnet Grove", "Brindle Court", "Thistlebank", "Kingfisher Way",
	"Mallow Crescent", "Ferrier Street", "Wharf Row", "Sedgewick Lane",
	"Tallow Street", "Hobnail Row",
};
static const char *const blocks[] = {
	"Heron Court", "Arden House", "Calloway Tower", "Juniper House",
	"Sandpiper Court", "Millrace House",
};
/* Districts of Kestrelford, each with its own "ZZn" postcode district. */
static const char *const localities[] = {
	"Kestrelford", "Oldmoor", "Hatchwell", "Brackwater", "Saltmarsh End",
	"Fennick Green",
};
static const char *const nurseries[] = {
	"Little Wrens Nursery", "Acorn Steps Pre-school", "Hatchwell Children's Centre Nursery",
	"Busy Bees of Oldmoor",
};
static const char *const primaries[] = {
	"Hatchwell Primary School", "Oldmoor Infant and Junior School",
	"St Aldric's C of E Primary School", "Saltings Community Primary School",
	"Larkhill Rise Primary School", "Brackwater Lane Primary Academy",
};
static const char *const secondaries[] = {
	"Kestrelford Academy", "Brackwater High School", "Marram Park Academy",
	"Oldmoor School",
};
static const char *const colleges[] = {
	"Kestrelford College", "Kestrelford Sixth Form Centre",
};
static const char *const gps[] = {
	"Hatchwell Medical Centre", "Wherry Lane Surgery", "Oldmoor Health Centre",
	"Kestrelford Riverside Practice", "Saltmarsh End Family Practice",
	"Brackwater Road Surgery",
};
static const char *const disabilities[] = {
	"Autism spectrum condition", "Hearing impairment (wears hearing aids)",
	"Cerebral palsy", "ADHD (diagnosed)", "Global developmental delay",
	"Visual impairment", "Speech and language difficulty",
};
static const char *const teams[] = {
	"Child in Need Team 1", "Child in Need Team 2", "Child Protection Team",
	"Children with Disabilities Team",
};
const struct gen_list gen_streets = LIST(streets), gen_blocks = LIST(blocks),
	gen_localities = LIST(localities), gen_nurseries = LIST(nurseries),
	gen_primaries = LIST(primaries), gen_secondaries = LIST(secondaries),
	gen_colleges = LIST(colleges), gen_gps = LIST(gps),
	gen_disabilities = LIST(disabilities), gen_teams = LIST(teams);

/* ---- stories, by type of harm ------------------------------------------ */

static const struct gen_tmpl neglect_open[] = {
	{ 5, "@ has arrived at school hungry on most mornings this term and has been seen taking food from other children's lunch boxes." },
	{ 4, "Staff report that @ often wears the same unwashed clothes for several days and has had untreated head lice since the autumn." },
	{ 0, "A neighbour reports that @ is regularly left at home without an adult in the evenings." },
	{ 0, "@ has missed three health appointments in a row, including a hearing follow-up, and the family has not answered letters or calls." },
};
static const struct gen_tmpl neglect_more[] = {
	{ 0, "The home was described as cold, with little food in the kitchen and no bedding on @'s bed." },
	{ 5, "Attendance has fallen below 80% and @ is often late, collected by different adults." },
	{ 6, "When asked, @ said there is sometimes no dinner and that ~ looks after a younger brother until late." },
	{ 0, "Earlier advice about supervision and home conditions does not appear to have led to lasting change." },
};
static const struct gen_tmpl neglect_impact[] = {
	{ 0, "@'s weight has dropped and ~ is often tired and unwell." },
	{ 5, "@ is falling behind at school and finds it hard to concentrate." },
};

static const struct gen_tmpl physical_open[] = {
	{ 5, "@ arrived at school with a bruise to the cheek and said it happened when an adult at home was angry." },
	{ 5, "Marks that looked like a slap were seen on @'s upper arm during PE; @ became upset when asked about them." },
	{ 0, "@ was brought to the emergency department with a fracture, and the explanation given changed between the triage nurse and the doctor." },
	{ 0, "A health visitor noticed bruising to @'s ear during a home visit and the explanation given was vague." },
};
static const struct gen_tmpl physical_more[] = {
	{ 4, "@ appeared frightened about going home at the end of the day." },
	{ 0, "The injury was recorded on a body map and photographed with the parent's agreement." },
	{ 0, "The parent said @ fell, but the pattern of marks does not obviously fit that account." },
	{ 0, "There have been two earlier reports of minor injuries this year, each with a different explanation." },
};
static const struct gen_tmpl physical_impact[] = {
	{ 0, "@ has been in pain and needed treatment." },
	{ 4, "@ has become watchful and jumpy around adults." },
};

static const struct gen_tmpl sexual_open[] = {
	{ 6, "@ told a trusted member of staff that an older relative has touched * in a way that made * feel uncomfortable." },
	{ 3, "@ has shown sexualised behaviour with other children that staff consider unusual for ^ age." },
	{ 8, "@ told a friend's parent that an adult visitor to the home has asked * to keep secrets and to send photographs." },
	{ 0, "Police have received information that @ may have been sexually abused by a known adult; @ has not yet been spoken to." },
};
static const struct gen_tmpl sexual_more[] = {
	{ 6, "The disclosure was written down in @'s own words and no leading questions were asked." },
	{ 6, "@ was calm when speaking but asked who else would be told." },
	{ 0, "The adult named is believed to have regular contact with the household." },
	{ 5, "@ has been told that staff must share what ~ said to keep * safe." },
};
static const struct gen_tmpl sexual_impact[] = {
	{ 5, "@ has been anxious and has had trouble sleeping." },
	{ 0, "@ may be at continuing risk while the adult has access to *." },
};

static const struct gen_tmpl emotional_open[] = {
	{ 6, "@ has become withdrawn and tearful at school and told a teacher that ~ is often called stupid and worthless at home." },
	{ 3, "Staff have seen a parent shouting at @ and threatening to send * away when collecting * from school." },
	{ 7, "@ says ~ feels to blame for ^ parents' arguments and is not allowed to see friends outside school." },
	{ 11, "@ has started scratching ^ arms and said nobody at home notices or cares." },
	{ 0, "The health visitor is concerned that @'s mother rarely holds, talks to or comforts @, who is unusually quiet and watchful." },
};
static const struct gen_tmpl emotional_more[] = {
	{ 4, "` behaviour has changed noticeably over the past half term." },
	{ 3, "@ is described as anxious to please and apologises constantly." },
	{ 5, "The school's pastoral team has offered weekly check-ins, which @ attends." },
	{ 0, "There is ongoing conflict between the parents over contact, and @ appears caught in the middle." },
};
static const struct gen_tmpl emotional_impact[] = {
	{ 4, "@'s confidence is very low and ~ has few friends." },
	{ 0, "@ seems anxious and unsettled much of the time." },
};

static const struct gen_tmpl domestic_open[] = {
	{ 0, "Police attended the address overnight after a neighbour heard shouting and a crash; @ was in the home." },
	{ 0, "@'s mother told the health visitor that her partner controls the household money and has pushed her during arguments." },
	{ 6, "@ told a teacher that ~ hides in ^ room when the adults fight and that ~ saw ^ mother being hurt." },
	{ 0, "A domestic abuse risk assessment completed by police after an incident at @'s home was graded high risk." },
};
static const struct gen_tmpl domestic_more[] = {
	{ 0, "The alleged perpetrator was arrested and released on bail with conditions not to attend the address." },
	{ 0, "@'s mother does not want to support a prosecution but is worried about the children." },
	{ 0, "This is the third reported incident at the address in twelve months." },
	{ 2, "Officers described @ as quiet and clinging to ^ mother." },
};
static const struct gen_tmpl domestic_impact[] = {
	{ 3, "@ is frightened of the shouting and has started wetting the bed again." },
	{ 0, "@ is living with the fear and disruption of repeated incidents at home." },
};

static const struct gen_tmpl cse_open[] = {
	{ 12, "@ has been seen getting into cars with older males near the retail park and has come home late with new clothes and a second phone." },
	{ 12, "@'s school reports that ~ has an older 'boyfriend', aged around twenty, who collects * from the school gates." },
	{ 11, "@ has been reported missing four times in the last month and was once found at an address linked to adult men." },
	{ 10, "Messages seen by a parent suggest an older contact online is pressing @ to meet up and send images." },
};
static const struct gen_tmpl cse_more[] = {
	{ 10, "@ does not accept that the relationship is harmful and becomes angry when it is raised." },
	{ 10, "@'s parents are worried and have been working with police about the missing episodes." },
	{ 10, "@'s attendance has fallen and ~ has stopped going to an after-school club ~ used to enjoy." },
	{ 10, "An exploitation screening tool completed by the school nurse indicates significant risk." },
};
static const struct gen_tmpl cse_impact[] = {
	{ 10, "@ is at risk of serious sexual harm and is increasingly cut off from family and friends." },
};

static const struct gen_tmpl cce_open[] = {
	{ 12, "@ was stopped by police in another town with cash and two phones and could not explain why ~ was there." },
	{ 11, "@ has been missing overnight several times and came back with injuries ~ will not explain." },
	{ 12, "Police intelligence links @ to older young people believed to be moving drugs between towns." },
	{ 10, "@'s parent found a large amount of cash and new trainers in ^ room and says @ seems frightened of someone." },
};
static const struct gen_tmpl cce_more[] = {
	{ 10, "@ has been suspended from school and spends much of the day unsupervised." },
	{ 10, "@ has said ~ owes money to someone and cannot stop now." },
	{ 10, "Police are considering a referral to the National Referral Mechanism." },
	{ 10, "The family are supportive but feel unable to keep @ at home." },
};
static const struct gen_tmpl cce_impact[] = {
	{ 10, "@ is at risk of violence, arrest and serious harm from those exploiting *." },
};

static const struct gen_tmpl mental_open[] = {
	{ 0, "@'s mother told her GP she is struggling with low mood and some days cannot get out of bed." },
	{ 0, "@'s father was admitted to hospital under the Mental Health Act last week; @ is being cared for by a family friend." },
	{ 7, "@ told a teacher that ^ mother talks to people who are not there and that ~ worries about leaving her alone." },
	{ 0, "A parent disclosed thoughts of self-harm at a health appointment and said the children would be better off without her." },
};
static const struct gen_tmpl mental_more[] = {
	{ 8, "@ appears to be taking on caring tasks at home, including cooking and getting younger siblings ready." },
	{ 0, "The parent is engaging with the community mental health team, but support at home is limited." },
	{ 5, "@ is attending school regularly and is described as bright and well liked." },
	{ 0, "There is no other adult living in the home." },
};
static const struct gen_tmpl mental_impact[] = {
	{ 0, "@'s day-to-day care depends on how well the parent is from one day to the next." },
	{ 6, "@ is worried about ^ parent and finds it hard to concentrate at school." },
};

static const struct gen_tmpl substance_open[] = {
	{ 0, "@'s parent was found asleep and could not be woken one afternoon while @ was in the house with no other adult." },
	{ 0, "Police attended a disturbance at the address and found drug paraphernalia within reach of children." },
	{ 6, "@ told the school nurse that ^ father drinks every day and becomes unpredictable in the evenings." },
	{ 4, "@'s mother came to a school meeting smelling strongly of alcohol and could not follow the conversation." },
};
static const struct gen_tmpl substance_more[] = {
	{ 0, "The parent has used the local drug and alcohol service before but stopped attending in the spring." },
	{ 5, "@ often arrives late and tired and says ~ does not sleep well because of noise at night." },
	{ 0, "The other parent does not live locally and has little contact." },
	{ 0, "Family members have offered to help with childcare." },
};
static const struct gen_tmpl substance_impact[] = {
	{ 0, "@'s basic care is unreliable when the parent is using." },
	{ 6, "@ is embarrassed and worried about ^ parent and keeps it hidden from friends." },
};

static const struct gen_tmpl other_open[] = {
	{ 11, "@ has been reported missing from home twice in a fortnight and was found in the town centre late at night." },
	{ 13, "@ is staying with a friend's family after an argument at home and says ~ will not go back." },
	{ 8, "@ told school that ~ is being bullied online by other pupils and no longer wants to go in." },
	{ 0, "@ appears to have been living with a family friend for over a month without the council being told, which may be private fostering." },
};
static const struct gen_tmpl other_more[] = {
	{ 0, "The reasons for the arrangement are not yet clear." },
	{ 8, "@ has not taken up offers of support so far but spoke openly to the referrer." },
	{ 0, "@'s parents say they are struggling to set boundaries." },
	{ 0, "There are no known concerns about younger siblings." },
};
static const struct gen_tmpl other_impact[] = {
	{ 0, "@'s situation is unsettled and ~ has no safe, stable routine." },
};

#define TMPLS(a) { a, sizeof a / sizeof a[0] }
#define STORY(code, w, age, o, m, i) { code, w, age, TMPLS(o), TMPLS(m), TMPLS(i) }
const struct gen_story gen_stories[GEN_NCATEGORIES] = {
	STORY("neglect", 24, 0, neglect_open, neglect_more, neglect_impact),
	STORY("physical", 11, 0, physical_open, physical_more, physical_impact),
	STORY("sexual", 5, 0, sexual_open, sexual_more, sexual_impact),
	STORY("emotional", 13, 0, emotional_open, emotional_more, emotional_impact),
	STORY("domestic-abuse", 20, 0, domestic_open, domestic_more, domestic_impact),
	STORY("cse", 3, 10, cse_open, cse_more, cse_impact),
	STORY("cce", 4, 10, cce_open, cce_more, cce_impact),
	STORY("parental-mental-health", 7, 0, mental_open, mental_more, mental_impact),
	STORY("substance-misuse", 7, 0, substance_open, substance_more, substance_impact),
	STORY("other", 6, 0, other_open, other_more, other_impact),
};

/* Pre-birth referrals: no child to name yet, so no markers. */
static const struct gen_tmpl unborn_open[] = {
	{ 0, "The mother told her midwife she has been using drugs during the pregnancy and has missed two antenatal scans." },
	{ 0, "The mother disclosed at her booking appointment that her partner has hit her, including once during this pregnancy." },
	{ 0, "The mother has a history of severe postnatal depression after her first child and has stopped her medication during this pregnancy." },
	{ 0, "The mother's two older children were removed from her care in another area; she has not told her midwife why." },
};
static const struct gen_tmpl tried[] = {
	{ 5, "The school has offered breakfast club and a pastoral mentor." },
	{ 0, "Early help was offered last year; the family took part for six weeks." },
	{ 0, "The referrer has spoken with the parent, who agreed to make changes." },
	{ 0, "No services have been offered yet." },
	{ 0, "The health visitor has increased visits to fortnightly." },
	{ 0, "The parent has been given advice about safe care and supervision." },
};
static const struct gen_tmpl strengths[] = {
	{ 0, "@ has a close relationship with ^ grandmother, who lives nearby." },
	{ 5, "@ goes to school regularly and has good friendships." },
	{ 0, "The parent is open with professionals and has asked for help." },
	{ 6, "@ enjoys football and goes to a local club every week." },
	{ 0, "The family have worked well with services in the past." },
	{ 0, "@ is meeting ^ developmental milestones." },
};
const struct gen_tmpls gen_unborn_open = TMPLS(unborn_open),
	gen_tried = TMPLS(tried), gen_strengths = TMPLS(strengths);

/* ---- who refers ---------------------------------------------------------- */

static const char *const r_family[] = {
	"Maternal grandmother", "Paternal grandmother", "Aunt", "Uncle",
	"Older sibling", "Father (lives apart)",
};
static const char *const r_acquaintance[] = {
	"Neighbour", "Family friend", "Parent of a school friend",
};
static const char *const r_self[] = { "The child (self-referral)" };
static const char *const r_individual[] = {
	"Member of the public", "Volunteer youth worker", "Volunteer at a community group",
};
static const char *const r_school[] = {
	"Designated safeguarding lead", "Class teacher", "Head of year", "Headteacher",
};
static const char *const r_education[] = {
	"Education welfare officer", "Inclusion officer", "Early years adviser",
};
static const char *const r_gp[] = { "GP" };
static const char *const r_hv[] = { "Health visitor" };
static const char *const r_nurse[] = { "School nurse" };
static const char *const r_primary[] = {
	"Dentist", "Community pharmacist", "Practice nurse",
};
static const char *const r_hospital[] = {
	"Hospital safeguarding nurse", "Emergency department nurse", "Paediatric social worker",
};
static const char *const r_health_other[] = {
	"Community midwife", "Child and adolescent mental health practitioner",
	"Speech and language therapist",
};
static const char *const r_housing[] = {
	"Housing officer", "Housing options officer", "Tenancy support worker",
};
static const char *const r_la_care[] = {
	"Approved mental health professional (adult social care)",
	"Social worker, another local authority", "Leaving care personal adviser",
};
static const char *const r_la_other[] = {
	"Environmental health officer", "Family support worker (early help)",
	"Youth justice officer",
};
static const char *const r_police[] = {
	"Response officer", "Neighbourhood officer", "Domestic abuse investigator",
	"Missing persons coordinator",
};
static const char *const r_legal[] = {
	"Family court adviser", "Solicitor", "Court duty officer",
};
static const char *const r_other[] = {
	"Sports coach", "Faith group leader", "Voluntary sector support worker", "Childminder",
};
static const char *const r_anonymous[] = { "Member of the public (gave no name)" };

/* Weights follow the national pattern: police and schools refer most. */
const struct gen_source gen_sources[] = {
	{ "family", 30, GEN_REF_PERSON, NULL, LIST(r_family) },
	{ "acquaintance", 12, GEN_REF_PERSON, NULL, LIST(r_acquaintance) },
	{ "self", 8, GEN_REF_SELF, NULL, LIST(r_self) },
	{ "individual-other", 15, GEN_REF_PERSON, NULL, LIST(r_individual) },
	{ "school", 180, GEN_REF_SCHOOL, NULL, LIST(r_school) },
	{ "education", 25, GEN_REF_PERSON, "Kestrelford Council education service", LIST(r_education) },
	{ "gp", 30, GEN_REF_DOCTOR, NULL, LIST(r_gp) },
	{ "health-visitor", 35, GEN_REF_PERSON, "Kestrelford Community Health", LIST(r_hv) },
	{ "school-nurse", 15, GEN_REF_PERSON, "Kestrelford Community Health", LIST(r_nurse) },
	{ "primary-health", 10, GEN_REF_PERSON, "Kestrelford Primary Care Network", LIST(r_primary) },
	{ "hospital", 45, GEN_REF_PERSON, "Kestrelford General Hospital", LIST(r_hospital) },
	{ "health-other", 20, GEN_REF_PERSON, "Kestrelford Health NHS Trust", LIST(r_health_other) },
	{ "housing", 30, GEN_REF_PERSON, "Kestrelford Council housing service", LIST(r_housing) },
	{ "la-social-care", 60, GEN_REF_PERSON, "Kestrelford Council", LIST(r_la_care) },
	{ "la-other", 40, GEN_REF_PERSON, "Kestrelford Council", LIST(r_la_other) },
	{ "police", 290, GEN_REF_OFFICER, "Kestrelford Police", LIST(r_police) },
	{ "legal", 20, GEN_REF_PERSON, NULL, LIST(r_legal) },
	{ "other", 70, GEN_REF_PERSON, NULL, LIST(r_other) },
	{ "anonymous", 20, GEN_REF_ANONYMOUS, NULL, LIST(r_anonymous) },
	{ "unknown", 45, GEN_REF_UNKNOWN, NULL, { NULL, 0 } },
};
const unsigned gen_nsources = sizeof gen_sources / sizeof gen_sources[0];

/* ---- what agencies know ---------------------------------------------------- */

const char *const gen_agencies[GEN_NAGENCIES] = {
	"police", "csc", "health", "education", "probation", "housing",
};

static const char *const k_police[] = {
	"Two domestic incidents recorded at the address in the last year; one led to a caution for the adult male.",
	"The mother's partner has a previous conviction for assault (2019). Share on a need-to-know basis.",
	"The child was recorded missing twice this year and returned within 24 hours each time.",
	"Intelligence links an adult in the household to drug supply; not for disclosure outside the hub.",
	"One call to the address two years ago about a neighbour dispute; no safeguarding concerns noted.",
};
static const char *const k_csc[] = {
	"Child known: a child in need plan closed 18 months ago after good progress.",
	"Older siblings were on child protection plans in another area (neglect), ended three years ago.",
	"Two previous contacts, both closed with advice; no open involvement.",
	"Family known to early help; a family support worker was allocated last year.",
};
static const char *const k_health[] = {
	"Registered with the GP; immunisations incomplete. Two missed paediatric appointments.",
	"Health visitor records raise concerns about home conditions at the last two visits.",
	"A parent is under the community mental health team; last seen three weeks ago.",
	"Two emergency department attendances this year with minor injuries; explanations consistent at the time.",
};
static const char *const k_education[] = {
	"Attendance 81% with persistent lateness; free school meals. The safeguarding lead has logged four concerns.",
	"Attendance 96%; no concerns logged before this referral. Described as settled.",
	"The child has an education, health and care plan; school reports a recent decline in presentation.",
	"Two suspensions this year for disruptive behaviour.",
};
static const char *const k_probation[] = {
	"An adult in the household is on licence after a conviction for violence; the probation practitioner has been told.",
	"An adult was supervised on a community order that ended in 2021; assessed as medium risk of harm to known adults.",
};
static const char *const k_housing[] = {
	"Family in temporary accommodation since March; one bedroom for four people.",
	"Rent arrears and a notice seeking possession; damp and mould reported.",
	"Tenancy in the mother's sole name; a neighbour made an anti-social behaviour complaint last month.",
};
const struct gen_list gen_check_complete[GEN_NAGENCIES] = {
	LIST(k_police), LIST(k_csc), LIST(k_health), LIST(k_education),
	LIST(k_probation), LIST(k_housing),
};
static const char *const k_nothing[] = {
	"No records held for the child or the adults named.",
	"Searched by name, date of birth and address; nothing known.",
	"Nothing known to this agency.",
};
static const char *const k_pending[] = {
	"Search requested from the records team.",
	"Records found; being reviewed before sharing.",
	"Waiting for the case holder to confirm what can be shared.",
};
const struct gen_list gen_check_nothing = LIST(k_nothing),
	gen_check_pending = LIST(k_pending);

/* ---- consent ------------------------------------------------------------------ */

static const char *const reason_given[] = {
	"The parent agreed to information being shared with partner agencies.",
	"Consent given by the young person, who understood what would be shared.",
};
static const char *const reason_refused[] = {
	"The parent refused consent; the hub decided to share without it because the concerns meet the threshold for safeguarding.",
	"The parent refused, saying the referral was malicious; sharing without consent was agreed by the MASH manager.",
};
static const char *const reason_not_sought[] = {
	"Seeking consent could place the child at increased risk of harm.",
	"Police advised that alerting the household could compromise an investigation.",
	"Asking the parent could put the non-abusing parent and the child at risk.",
	"The parent could not be contacted and the matter could not wait.",
};
const struct gen_list gen_reason_given = LIST(reason_given),
	gen_reason_refused = LIST(reason_refused),
	gen_reason_not_sought = LIST(reason_not_sought);

/* ---- decisions -------------------------------------------------------------------- */

static const struct gen_tmpl why_nfa[] = {
	{ 0, "Checks with partner agencies show no unmet need or risk of harm to @. The family are supported by universal services." },
	{ 0, "The concern was explored and a reasonable explanation confirmed by the school and GP; there is no role for children's social care." },
};
static const struct gen_tmpl why_advice[] = {
	{ 0, "@'s needs can be met by universal services with signposting. The referrer has been told how to re-refer if worries grow." },
	{ 0, "The parent has accepted advice and knows where to find support; no further hub involvement is needed." },
};
static const struct gen_tmpl why_early[] = {
	{ 0, "Needs are emerging but do not meet the threshold for statutory work. The family agree to an early help assessment for @." },
	{ 0, "@ and the family would benefit from coordinated support; the parent has agreed to a team around the family." },
};
static const struct gen_tmpl why_s17[] = {
	{ 0, "@'s needs are complex and unlikely to be met without services. A child and family assessment under section 17 will identify the support needed." },
	{ 0, "Taken together, the agency information shows a pattern that needs a social work assessment of @'s needs under section 17." },
};
static const struct gen_tmpl why_s47[] = {
	{ 0, "There is reasonable cause to suspect @ is suffering or likely to suffer significant harm. A strategy discussion with police and health agreed a section 47 enquiry." },
	{ 0, "The information shared by police and health raises the risk to @ to significant harm; a joint section 47 enquiry was agreed." },
};
static const struct gen_tmpl why_protect[] = {
	{ 0, "@ was at immediate risk and could not safely stay at home. Police protection was used and @ is with a safe relative while enquiries continue." },
};
static const char *const fb_nfa[] = {
	"Thank you for the referral. After checks with partner agencies no further action is needed; please re-refer if anything changes.",
};
static const char *const fb_advice[] = {
	"Thank you for the referral. The family have been given advice and signposted to local support; no further hub action.",
};
static const char *const fb_early[] = {
	"Thank you for the referral. An early help assessment has been agreed; the early help coordinator will contact you this week.",
};
static const char *const fb_s17[] = {
	"Thank you for the referral. A social worker will complete a child and family assessment and will contact you for your view.",
};
static const char *const fb_s47[] = {
	"Thank you for the referral. A strategy discussion has been held and enquiries are under way; please pass any new information straight to the hub.",
};
static const char *const fb_protect[] = {
	"Thank you for the referral. Immediate action has been taken to keep the child safe; the allocated social worker will update you.",
};
static const struct gen_action_words do_nfa[] = {
	{ "Send the outcome letter to the referrer", NULL, 2 },
	{ "Close the contact on the case system", NULL, 3 },
};
static const struct gen_action_words do_advice[] = {
	{ "Send the family details of local parenting support", NULL, 3 },
	{ "Tell the GP the outcome", "Health practitioner in the hub", 5 },
	{ "Send the referrer the outcome and advice given", NULL, 2 },
};
static const struct gen_action_words do_early[] = {
	{ "Offer the family an early help assessment", "Early Help Hub", 7 },
	{ "Arrange a team around the family meeting", "School safeguarding lead", 14 },
	{ "Review attendance weekly and report to the lead professional", "School safeguarding lead", 21 },
};
static const struct gen_action_words do_s17[] = {
	{ "Allocate a social worker for a child and family assessment", NULL, 2 },
	{ "Visit the child at home and see the child alone", NULL, 10 },
	{ "Request the health history from the GP", "Health practitioner in the hub", 5 },
};
static const struct gen_action_words do_s47[] = {
	{ "Hold the strategy discussion with police and health", NULL, 1 },
	{ "Joint visit with police to see the child", "Police child abuse investigation team", 1 },
	{ "Arrange a child protection medical", "Paediatrician on call", 2 },
	{ "Agree a safety plan with the non-abusing parent", NULL, 3 },
};
static const struct gen_action_words do_protect[] = {
	{ "Confirm the placement with a safe relative", NULL, 1 },
	{ "Seek legal advice on an emergency protection order", "Local authority legal team", 1 },
	{ "Arrange supervised contact for the parents", NULL, 3 },
};
#define OUTCOME(code, why, fb, what) \
	{ code, TMPLS(why), LIST(fb), what, sizeof what / sizeof what[0] }
const struct gen_outcome_words gen_outcomes[GEN_NOUTCOMES] = {
	OUTCOME("nfa", why_nfa, fb_nfa, do_nfa),
	OUTCOME("advice", why_advice, fb_advice, do_advice),
	OUTCOME("early-help", why_early, fb_early, do_early),
	OUTCOME("s17", why_s17, fb_s17, do_s17),
	OUTCOME("s47", why_s47, fb_s47, do_s47),
	OUTCOME("immediate-protection", why_protect, fb_protect, do_protect),
};

/* ---- the front door ---------------------------------------------------------------- */

const char *const gen_close_codes[GEN_NCLOSE] = {
	"nfa", "advice", "early-help", "allocated",
};
static const char *const close_nfa[] = {
	"No safeguarding concern on the information given; the referrer will keep the hub informed of any change.",
	"The incident was one-off and already resolved by the family; no role for the hub.",
	"Checked with the referrer: the child is safe and well supported at home.",
};
static const char *const close_advice[] = {
	"Advice given to the referrer on supporting the family; signposted to the parenting helpline.",
	"The referrer was given information on the school's own support and the family hub's drop-in sessions.",
	"Signposted the parent to the local domestic abuse service and the GP; no further role for the hub.",
};
static const char *const close_early[] = {
	"Needs are below the threshold for social care; passed to the early help team with the family's agreement.",
	"The family asked for support with routines and school attendance; early help assessment offered.",
	"A family support worker from early help will contact the parent this week.",
};
static const char *const close_allocated[] = {
	"The child has an allocated social worker; the contact was passed to them the same day.",
	"Open to children's social care: passed to the allocated worker to consider with the current plan.",
};
const struct gen_list gen_close_reasons[GEN_NCLOSE] = {
	LIST(close_nfa), LIST(close_advice), LIST(close_early), LIST(close_allocated),
};

static const char *const screen_green[] = {
	"Low-level concern: checks to see what support is already in place.",
	"Checks needed to confirm whether the family is known and coping.",
};
static const char *const screen_amber[] = {
	"Concerns about the child's wellbeing need partner information before a decision.",
	"A pattern of concerns: checks with the agencies who know the family.",
};
static const char *const screen_red[] = {
	"Possible significant harm: urgent checks before a strategy discussion.",
	"Risk of serious harm: police and health checks needed now.",
};
const struct gen_list gen_screen_reasons[3] = {
	LIST(screen_green), LIST(screen_amber), LIST(screen_red),
};

static const char *const request_later[] = {
	"The school mentioned another adult in the home: asking this agency too.",
	"New information from a partner's check: one more agency asked.",
	"The family has moved recently: asking this agency about the old address.",
};
static const char *const raise_reasons[] = {
	"A partner's check found a recent incident at the address: raised.",
	"The child told the school more since the contact: raised.",
	"Missed appointments and a new injury reported by health: raised.",
};
static const char *const lower_reasons[] = {
	"Checks show support already in place and the child seen well: lowered.",
	"The injury was explained and seen by the GP: lowered.",
	"The parent is engaging with services: lowered.",
};
const struct gen_list gen_request_later = LIST(request_later),
	gen_raise_reasons = LIST(raise_reasons),
	gen_lower_reasons = LIST(lower_reasons);

/* ==== the demo hub ========================================================
 *
 * Staff (login, role, agency):
 *   demo-sup          supervisor    csc        (GENERATE_DEMO_SUPERVISOR)
 *   demo-sup-police   supervisor    police
 *   demo-sup-health   supervisor    health
 *   demo-police1/2    practitioner  police
 *   demo-csc1/2       practitioner  csc
 *   demo-health1/2    practitioner  health
 *   demo-education1   practitioner  education
 *   demo-probation1   practitioner  probation
 *   demo-housing1     practitioner  housing
 *   demo-trainer      trainer       (none)
 *   demo-admin        admin         (none)
 */
const struct gen_demo_user gen_demo_users[] = {
	{ "demo-sup", "Adaeze Whitfield", "csc", "supervisor" },
	{ "demo-sup-police", "Gareth Pryce", "police", "supervisor" },
	{ "demo-sup-health", "Priya Venkataraman", "health", "supervisor" },
	{ "demo-police1", "Łukasz Nowicki", "police", "practitioner" },
	{ "demo-police2", "Sarah Thornbury", "police", "practitioner" },
	{ "demo-csc1", "Niamh Kearney", "csc", "practitioner" },
	{ "demo-csc2", "Chiamaka Adebayo-Reid", "csc", "practitioner" },
	{ "demo-health1", "Zoë Marchetti", "health", "practitioner" },
	{ "demo-health2", "Imran Qureshi", "health", "practitioner" },
	{ "demo-education1", "Catrin Llewellyn", "education", "practitioner" },
	{ "demo-probation1", "Marcus Fairweather", "probation", "practitioner" },
	{ "demo-housing1", "Hà Nguyễn", "housing", "practitioner" },
	{ "demo-trainer", "Beatriz Santos-Lowe", "", "trainer" },
	{ "demo-admin", "Kwame Boateng", "", "admin" },
};
const unsigned gen_demo_nusers = sizeof gen_demo_users / sizeof gen_demo_users[0];

const char *const generate_demo_logins[] = {
	"demo-sup", "demo-sup-police", "demo-sup-health", "demo-police1",
	"demo-police2", "demo-csc1", "demo-csc2", "demo-health1", "demo-health2",
	"demo-education1", "demo-probation1", "demo-housing1", "demo-trainer",
	"demo-admin", NULL,
};

enum {
	F_KOWALCZYK, F_ADEYEMI, F_NGUYEN, F_CHEN, F_HARTLEY, F_YUSUF, F_THOMPSON,
	F_WHITLOCK, F_DOYLE, F_BAKARE, F_POPESCU, F_PRITCHARD, F_HADDAD, F_FOSTER,
	F_ADLER, F_CHOWDHURY, F_BURROWS, F_SANDHU, F_FITZGERALD, F_DVORAK, F_IQBAL,
	F_COLE, F_ASHBY, F_OCONNELL, F_MORENO, F_BARROS, F_HUSSAIN, F_OWUSU,
	F_MARSDEN
};

/* Households; people: name, relationship, age, PR, alleged perpetrator,
 * lives with the child. */
const struct gen_demo_family gen_demo_families[] = {
	[F_KOWALCZYK] = { "7 Tamarisk Close, Hatchwell, Kestrelford ZZ3 2PL",
		"Flat 2, 18 Ropewalk Court, Kestrelford ZZ1 3DW", "Hatchwell Medical Centre",
		{ { "Zofia Kowalczyk", "mother", 34, 1, 0, 1 },
		  { "Darren Hale", "mother's partner", 38, 0, 1, 1 },
		  { "Piotr Kowalczyk", "father", 36, 1, 0, 0 } } },
	[F_ADEYEMI] = { "22 Cressing Row, Oldmoor, Kestrelford ZZ2 7HD", NULL,
		"Oldmoor Health Centre",
		{ { "Folasade Adeyemi", "mother", 29, 1, 0, 1 },
		  { "Babatunde Adeyemi", "father (working away)", 33, 1, 0, 0 } } },
	[F_NGUYEN] = { "Flat 3, Heron Court, 40 Wherry Lane, Kestrelford ZZ1 5TB", NULL,
		"Wherry Lane Surgery",
		{ { "Lan Nguyễn", "mother", 41, 1, 0, 1 },
		  { "Văn Hùng Nguyễn", "father", 45, 1, 0, 1 } } },
	[F_CHEN] = { "5 Osier Walk, Brackwater, Kestrelford ZZ4 1NJ", NULL,
		"Kestrelford Riverside Practice",
		{ { "黄晓雯", "mother", 38, 1, 0, 1 },
		  { "陈国平", "father", 42, 1, 0, 1 } } },
	[F_HARTLEY] = { "31 Linnet Grove, Saltmarsh End, Kestrelford ZZ5 4EB",
		"12 Tallow Street, Kestrelford ZZ1 9QA", "Saltmarsh End Family Practice",
		{ { "Kirsty Hartley", "mother", 31, 1, 0, 1 },
		  { "Kofi Mensah", "father", 35, 1, 0, 0 } } },
	[F_YUSUF] = { "c/o 14 Saltings Road, Saltmarsh End, Kestrelford ZZ5 8LU (friend's family, temporary)",
		"9 Pellow Street, Oldmoor, Kestrelford ZZ2 8RG", "Oldmoor Health Centre",
		{ { "Hawa Yusuf", "mother", 44, 1, 0, 0 },
		  { "Bashir Osman", "stepfather", 49, 0, 0, 0 } } },
	[F_THOMPSON] = { "48 Marram Drive, Brackwater, Kestrelford ZZ4 3LS", NULL,
		"Wherry Lane Surgery",
		{ { "Leanne Thompson", "mother", 39, 1, 0, 1 },
		  { "Craig Robson", "stepfather", 41, 0, 0, 1 } } },
	[F_WHITLOCK] = { "Flat 11, Calloway Tower, Ferrier Street, Kestrelford ZZ1 6NA",
		"Supported lodgings, Oldmoor (until last year)", "Kestrelford Riverside Practice",
		{ { "Chloe Whitlock", "mother (expectant)", 23, 1, 0, 1 },
		  { "Ryan Ashworth", "father of the baby", 27, 0, 0, 1 } } },
	[F_DOYLE] = { "3 Cobnut Lane, Hatchwell, Kestrelford ZZ3 5QF", NULL,
		"Hatchwell Medical Centre",
		{ { "Gráinne Doyle", "mother", 40, 1, 0, 1 },
		  { "Declan Doyle", "father", 43, 1, 0, 1 },
		  { "Fergal Doyle", "paternal uncle (stays at weekends)", 37, 0, 1, 0 } } },
	[F_BAKARE] = { "60 Gorsefield Avenue, Oldmoor, Kestrelford ZZ2 4JN", NULL,
		"Oldmoor Health Centre",
		{ { "Yetunde Bakare", "mother", 37, 1, 0, 1 },
		  { "Olumide Bakare", "father", 40, 1, 1, 1 } } },
	[F_POPESCU] = { "Flat 5, Arden House, Tanyard Close, Kestrelford ZZ1 2WE", NULL,
		"Kestrelford Riverside Practice",
		{ { "Mirela Popescu", "mother", 33, 1, 0, 1 },
		  { "Ionuț Popescu", "father", 35, 1, 0, 1 } } },
	[F_PRITCHARD] = { "12 Thistlebank, Saltmarsh End, Kestrelford ZZ5 2AD", NULL,
		"Saltmarsh End Family Practice",
		{ { "Hayley Pritchard", "mother", 26, 1, 0, 1 },
		  { "Jamie Tranter", "mother's partner", 29, 0, 0, 1 },
		  { "Owain Pritchard", "father", 30, 1, 0, 0 } } },
	[F_HADDAD] = { "27 Kingfisher Way, Brackwater, Kestrelford ZZ4 5TR", NULL,
		"Brackwater Road Surgery",
		{ { "Rasha Haddad", "mother", 42, 1, 1, 1 },
		  { "Walid Haddad", "father", 46, 1, 0, 1 } } },
	[F_FOSTER] = { "2 Mallow Crescent, Oldmoor, Kestrelford ZZ2 9PB", NULL,
		"Oldmoor Health Centre",
		{ { "Danielle Foster", "mother", 24, 1, 0, 1 },
		  { "Lee Barnes", "father (left the home)", 28, 1, 0, 0 } } },
	[F_ADLER] = { "Flat 8, Juniper House, Quillon Street, Kestrelford ZZ1 4HX", NULL,
		"Wherry Lane Surgery",
		{ { "Naomi Adler", "mother", 39, 1, 0, 1 },
		  { "Daniel Adler", "father", 41, 1, 0, 0 } } },
	[F_CHOWDHURY] = { "16 Wharf Row, Kestrelford ZZ1 7GS", NULL,
		"Kestrelford Riverside Practice",
		{ { "Shahida Begum", "mother", 34, 1, 0, 1 },
		  { "Jamal Chowdhury", "father (in hospital)", 38, 1, 0, 1 } } },
	[F_BURROWS] = { "81 Saltings Road, Saltmarsh End, Kestrelford ZZ5 8LQ", NULL,
		"Saltmarsh End Family Practice",
		{ { "Stacey Burrows", "mother", 36, 1, 0, 1 },
		  { "Scott Burrows", "father", 38, 1, 0, 1 } } },
	[F_SANDHU] = { "19 Brindle Court, Hatchwell, Kestrelford ZZ3 7SU", NULL,
		"Hatchwell Medical Centre",
		{ { "Harjit Kaur Sandhu", "mother", 35, 1, 0, 1 },
		  { "Jaspal Sandhu", "father", 39, 1, 1, 1 },
		  { "Kulwant Kaur Gill", "maternal grandmother", 63, 0, 0, 0 } } },
	[F_FITZGERALD] = { "5 Larkhill Rise, Oldmoor, Kestrelford ZZ2 1BT", NULL,
		"Oldmoor Health Centre",
		{ { "Rachel Fitzgerald", "mother", 44, 1, 0, 1 } } },
	[F_DVORAK] = { "Flat 1, 73 Ferrier Street, Kestrelford ZZ1 6NB", NULL,
		"Wherry Lane Surgery",
		{ { "Lenka Dvořáková", "mother", 27, 1, 0, 1 },
		  { "Tomáš Dvořák", "father", 30, 1, 0, 1 } } },
	[F_IQBAL] = { "36 Fennel Way, Brackwater, Kestrelford ZZ4 2DF", NULL,
		"Brackwater Road Surgery",
		{ { "Saima Iqbal", "mother", 40, 1, 0, 1 },
		  { "Tariq Iqbal", "father", 44, 1, 0, 1 } } },
	[F_COLE] = { "23 Quillon Street, Kestrelford ZZ1 4HY", NULL,
		"Kestrelford Riverside Practice",
		{ { "Natalie Cole", "mother", 43, 1, 0, 1 } } },
	[F_ASHBY] = { "71 Linnet Grove, Saltmarsh End, Kestrelford ZZ5 4EF", NULL,
		"Saltmarsh End Family Practice",
		{ { "Charlotte Ashby", "mother", 38, 1, 0, 1 },
		  { "Callum Ashby", "older brother", 17, 0, 1, 1 } } },
	[F_OCONNELL] = { "4 Pellow Street, Oldmoor, Kestrelford ZZ2 8RG", NULL, NULL,
		{ { NULL, NULL, 0, 0, 0, 0 } } },
	[F_MORENO] = { "52 Cobnut Lane, Hatchwell, Kestrelford ZZ3 5QH", NULL,
		"Hatchwell Medical Centre",
		{ { "Carmen Moreno", "mother", 37, 1, 0, 1 },
		  { "Álvaro Moreno", "younger brother", 3, 0, 0, 1 } } },
	[F_BARROS] = { "Flat 14, Calloway Tower, Ferrier Street, Kestrelford ZZ1 6NA", NULL,
		"Kestrelford Riverside Practice",
		{ { "Filipa Barros", "mother", 25, 1, 0, 1 },
		  { "Nuno Sousa", "father (lives in Portugal)", 29, 1, 0, 0 },
		  { "Raquel Barros", "maternal aunt (caring for Tomás)", 31, 0, 0, 0 } } },
	[F_HUSSAIN] = { "11 Marram Drive, Brackwater, Kestrelford ZZ4 3LR", NULL,
		"Brackwater Road Surgery",
		{ { "Nasreen Hussain", "mother", 41, 1, 0, 1 },
		  { "Shahid Hussain", "father", 45, 1, 0, 1 },
		  { "Unknown adult (online name 'Jay')", "online contact", 0, 0, 1, 0 } } },
	[F_OWUSU] = { "Flat 6, Arden House, Tanyard Close, Kestrelford ZZ1 2WE", NULL,
		"Kestrelford Riverside Practice",
		{ { "Abena Owusu", "mother", 45, 1, 0, 1 },
		  { "Kojo Owusu", "father", 48, 1, 0, 1 } } },
	[F_MARSDEN] = { "27 Cobnut Lane, Hatchwell, Kestrelford ZZ3 5QG",
		"Supported lodgings, Oldmoor (until March)", "Hatchwell Medical Centre",
		{ { "Gemma Marsden", "mother", 19, 1, 0, 1 },
		  { "Liam Tate", "father", 21, 0, 0, 0 } } },
};

enum {
	C_MAJA, C_ANTONI, C_TOLULOPE, C_AYOMIDE, C_MINH_ANH, C_MEILING, C_ZOE,
	C_JAYDEN, C_AHMED, C_KAI, C_UNBORN, C_SIOBHAN, C_OLUWASEUN, C_ANA_MARIA,
	C_RHYS, C_AMIRA, C_LILY_MAE, C_HARVEY, C_REUBEN, C_FARHAN, C_TYLER,
	C_SIMRAN, C_NOAH, C_JAKUB, C_HAMZA, C_BETHANY, C_LEON, C_RUBY, C_SOFIA,
	C_TOMAS, C_ZAINAB, C_MERCY, C_ELLA
};

#define AGE(years, days) ((years) * 365 + (days))

/* name, aliases, age, gender, ethnicity, language, disability, interpreter,
 * household, school. */
const struct gen_demo_child gen_demo_children[] = {
	[C_MAJA] = { "Maja Kowalczyk", "Maja Hale", AGE(9, 40), "female", "White Polish",
		"Polish", NULL, 0, F_KOWALCZYK, "Hatchwell Primary School" },
	[C_ANTONI] = { "Antoni Kowalczyk", NULL, AGE(6, 110), "male", "White Polish",
		"Polish", NULL, 0, F_KOWALCZYK, "Hatchwell Primary School" },
	[C_TOLULOPE] = { "Tolulope Adeyemi", "Tolu Adeyemi", AGE(7, 200), "female",
		"Black African", "English", NULL, 0, F_ADEYEMI,
		"Oldmoor Infant and Junior School" },
	[C_AYOMIDE] = { "Ayomide Adeyemi", NULL, AGE(2, 30), "male", "Black African",
		"English", "Speech and language delay (under assessment)", 0, F_ADEYEMI, NULL },
	[C_MINH_ANH] = { "Minh Anh Nguyễn", "Annie Nguyen", AGE(14, 75), "female",
		"Vietnamese", "Vietnamese", NULL, 0, F_NGUYEN, "Kestrelford Academy" },
	[C_MEILING] = { "陈美玲", "Meiling Chen;May Chen", AGE(11, 15), "female", "Chinese",
		"Mandarin", NULL, 0, F_CHEN, "St Aldric's C of E Primary School" },
	[C_ZOE] = { "Zoë Hartley-Mensah", NULL, AGE(4, 60), "female",
		"Mixed White and Black African", "English", NULL, 0, F_HARTLEY,
		"Little Wrens Nursery" },
	[C_JAYDEN] = { "Jayden Hartley-Mensah", "Jayden Hartley", AGE(13, 140), "male",
		"Mixed White and Black African", "English", NULL, 0, F_HARTLEY,
		"Brackwater High School" },
	[C_AHMED] = { "Ahmed Yusuf", "Axmed Yuusuf", AGE(16, 200), "male",
		"Black African - Somali", "Somali", NULL, 1, F_YUSUF, "Kestrelford College" },
	[C_KAI] = { "Kai Thompson", "KT;Kai Robson", AGE(15, 90), "male", "White British",
		"English", "ADHD (diagnosed)", 0, F_THOMPSON,
		"Kestrelford Learning Centre (pupil referral unit)" },
	[C_UNBORN] = { "Unborn baby Whitlock", NULL, -70, "not yet known", NULL, NULL,
		NULL, 0, F_WHITLOCK, NULL },
	[C_SIOBHAN] = { "Siobhán Doyle", NULL, AGE(12, 250), "female", "White Irish",
		"English", NULL, 0, F_DOYLE, "Kestrelford Academy" },
	[C_OLUWASEUN] = { "Oluwaseun Bakare", "Seun Bakare", AGE(10, 20), "male",
		"Black African", "English", NULL, 0, F_BAKARE,
		"Oldmoor Infant and Junior School" },
	[C_ANA_MARIA] = { "Ana-Maria Popescu", NULL, AGE(8, 300), "female",
		"White Romanian", "Romanian", NULL, 0, F_POPESCU,
		"Saltings Community Primary School" },
	[C_RHYS] = { "Rhys Pritchard", NULL, AGE(5, 100), "male", "White British",
		"English", NULL, 0, F_PRITCHARD, "Saltings Community Primary School" },
	[C_AMIRA] = { "Amira Haddad", NULL, AGE(13, 180), "female", "Arab", "Arabic",
		NULL, 0, F_HADDAD, "Marram Park Academy" },
	[C_LILY_MAE] = { "Lily-Mae Foster", NULL, AGE(1, 45), "female", "White British",
		"English", NULL, 0, F_FOSTER, NULL },
	[C_HARVEY] = { "Harvey Foster", NULL, AGE(3, 10), "male", "White British",
		"English", NULL, 0, F_FOSTER, "Acorn Steps Pre-school" },
	[C_REUBEN] = { "Reuben Adler", NULL, AGE(9, 130), "male", "White British",
		"English", NULL, 0, F_ADLER, "Larkhill Rise Primary School" },
	[C_FARHAN] = { "Farhan Chowdhury", NULL, AGE(6, 220), "male", "Bangladeshi",
		"Bengali (Sylheti)", NULL, 0, F_CHOWDHURY, "Hatchwell Primary School" },
	[C_TYLER] = { "Tyler Burrows", NULL, AGE(11, 60), "male", "White British",
		"English", NULL, 0, F_BURROWS, "Saltings Community Primary School" },
	[C_SIMRAN] = { "Simran Sandhu", NULL, AGE(8, 15), "female", "Indian", "English",
		NULL, 0, F_SANDHU, "Hatchwell Primary School" },
	[C_NOAH] = { "Noah Fitzgerald", NULL, AGE(14, 330), "male", "White British",
		"English", NULL, 0, F_FITZGERALD, "Oldmoor School" },
	[C_JAKUB] = { "Jakub Dvořák", NULL, AGE(2, 150), "male", "White Czech", "Czech",
		NULL, 1, F_DVORAK, NULL },
	[C_HAMZA] = { "Hamza Iqbal", NULL, AGE(12, 40), "male", "Pakistani", "English",
		NULL, 0, F_IQBAL, "Marram Park Academy" },
	[C_BETHANY] = { "Bethany Cole", "Beth Cole", AGE(16, 100), "female",
		"White British", "English", NULL, 0, F_COLE, "Kestrelford Sixth Form Centre" },
	[C_LEON] = { "Leon Ashby", NULL, AGE(9, 270), "male", "White British", "English",
		"Autism spectrum condition", 0, F_ASHBY, "Brackwater Lane Primary Academy" },
	[C_RUBY] = { "Ruby O'Connell", NULL, AGE(7, 5), "female", NULL, NULL, NULL, 0,
		F_OCONNELL, "Oldmoor Infant and Junior School" },
	[C_SOFIA] = { "Sofía Moreno", NULL, AGE(10, 190), "female",
		"White - other European", "Spanish", NULL, 0, F_MORENO,
		"St Aldric's C of E Primary School" },
	[C_TOMAS] = { "Tomás Barros", NULL, AGE(2, 90), "male", "White - other European",
		"Portuguese", NULL, 0, F_BARROS, NULL },
	[C_ZAINAB] = { "Zainab Hussain", NULL, AGE(14, 20), "female", "Pakistani",
		"English", NULL, 0, F_HUSSAIN, "Marram Park Academy" },
	[C_MERCY] = { "Mercy Owusu", NULL, AGE(15, 160), "female", "Black African",
		"English", NULL, 0, F_OWUSU, "Kestrelford Academy" },
	[C_ELLA] = { "Ella Marsden", NULL, 130, "female", "White British", "English",
		NULL, 0, F_MARSDEN, NULL },
};

/* The README's intake demo: a phone call about Tolulope, born on this
 * day, finds her earlier referrals. */
const struct gen_demo_birthday gen_demo_birthdays[] = {
	{ C_TOLULOPE, "2019-05-21" },
};
const unsigned gen_demo_nbirthdays =
	sizeof gen_demo_birthdays / sizeof gen_demo_birthdays[0];

#define D 24   /* hours in a day, for received times weeks back */
#define NOT_SOUGHT_RISK "Seeking consent could place the child at increased risk of harm."

/* The referrals, in any order (generate_demo sends them oldest first).
 * Open ones are all younger than 60 hours, so "overdue" (undecided after
 * 24 hours) means 26-60 hours old, as a real morning's backlog would. */
const struct gen_demo_referral gen_demo_referrals[] = {
	/* ---- open: overdue ---- */
	{ .child = C_MAJA, .hours_ago = 30, .category = "domestic-abuse",
	  .source = "police", .rag = "red", .level = 4, .assigned = "demo-csc1",
	  .referrer = "PC 2291 Amy Thornton", .referrer_role = "Response officer",
	  .referrer_agency = "Kestrelford Police", .referrer_contact = "01632 960184",
	  .concern = "Police were called to the address at 23:40 after neighbours heard shouting and a crash. "
		"Zofia Kowalczyk had a cut lip and said her partner, Darren Hale, pushed her into a door during an argument. "
		"Maja and her brother were awake on the landing, and Maja had phoned her grandmother for help. "
		"Mr Hale was arrested and released on bail with a condition not to attend the address.",
	  .impact = "Maja told officers she was scared and that this happens a lot when he drinks. She did not want to go to school this morning.",
	  .tried = "Early help was offered after a referral in the spring; the family attended two sessions.",
	  .strengths = "Ms Kowalczyk supported the arrest and has family nearby. Maja is doing well at school and has a close friend there.",
	  .parents_aware = 1, .consent = "not-sought",
	  .consent_reason = "Police advise that contacting the household before safety planning could increase the risk to Ms Kowalczyk and the children.",
	  .checks = {
		{ "police", "complete", "restricted", "public-task",
		  "Risk assessment graded high; referral made to the multi-agency risk conference. Darren Hale has two call-outs at a former address and a caution for common assault. Not to be disclosed outside the hub while the investigation is open." },
		{ "csc", "complete", "shareable", "public-task",
		  "Maja was referred in the spring (domestic abuse) and offered early help, which closed in the summer when the family stopped attending. No open case." },
		{ "health", "in-progress", "shareable", "public-task",
		  "GP and school nurse records requested; partial records seen." },
		{ "education", "requested", NULL, NULL, NULL },
		{ "housing", "nothing-known", "shareable", "public-task",
		  "Privately rented; no housing records for the household." } } },
	{ .child = C_ANTONI, .hours_ago = 30, .category = "domestic-abuse",
	  .source = "police", .rag = "amber", .level = 3, .assigned = "demo-csc1",
	  .referrer = "PC 2291 Amy Thornton", .referrer_role = "Response officer",
	  .referrer_agency = "Kestrelford Police", .referrer_contact = "01632 960184",
	  .concern = "Antoni was in the home during the incident reported for his sister Maja last night. "
		"Officers found him hiding under his bed; he did not speak to them. He has no injuries.",
	  .impact = "His mother says Antoni has started wetting the bed again and will not leave her side.",
	  .strengths = "Antoni has a settled place at school and a warm relationship with his mother.",
	  .parents_aware = 1, .consent = "not-sought",
	  .consent_reason = "As for his sister: police advise safety planning first.",
	  .checks = {
		{ "police", "complete", "conditional", "public-task",
		  "Same incident as the referral for Maja. May be shared with the school's safeguarding lead only, for safety planning." },
		{ "education", "in-progress", "shareable", "public-task",
		  "Class teacher being asked about recent presentation." },
		{ "health", "requested", NULL, NULL, NULL } } },
	{ .child = C_UNBORN, .hours_ago = 50, .category = "substance-misuse",
	  .source = "health-other", .rag = "amber", .level = 3, .assigned = "demo-csc2",
	  .referrer = "Joanne Pemberton", .referrer_role = "Community midwife",
	  .referrer_agency = "Kestrelford Maternity Service", .referrer_contact = "07700 900318",
	  .concern = "Chloe Whitlock, 23, is 30 weeks pregnant and told her midwife she has used heroin on and off during the pregnancy; she now has a methadone prescription. "
		"The baby's father, Ryan Ashworth, was released from prison in the summer and is on licence. "
		"Ms Whitlock has missed two antenatal scans.",
	  .impact = "The baby may be affected by drug use and may need care for withdrawal after birth. Ms Whitlock is anxious about what will happen then.",
	  .tried = "Ms Whitlock attends the drug and alcohol service and has asked for help getting ready for the baby.",
	  .strengths = "Ms Whitlock is open with her midwife and wants to keep the baby safe. Her own mother has offered support.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Whitlock agreed to the referral and to agencies sharing information.",
	  .checks = {
		{ "police", "complete", "conditional", "public-task",
		  "Ryan Ashworth: convictions for burglary and possession with intent to supply (2021). No domestic incidents with Ms Whitlock. Share with probation and children's social care only." },
		{ "csc", "complete", "shareable", "public-task",
		  "Ms Whitlock was in care herself from 14 to 17. No previous children." },
		{ "health", "complete", "restricted", "consent",
		  "Methadone prescription since July; two missed scans; blood tests pending. Health detail not to leave the hub." },
		{ "education", "nothing-known", "shareable", "public-task",
		  "No children of school age in the household." },
		{ "probation", "complete", "shareable", "public-task",
		  "Mr Ashworth is on licence until next spring and reporting as required. His probation practitioner supports a pre-birth assessment." },
		{ "housing", "complete", "shareable", "public-task",
		  "Council tenancy in Ms Whitlock's name since last year; rent up to date. Mr Ashworth is not on the tenancy." } } },
	{ .child = C_ZOE, .hours_ago = 40, .category = "emotional",
	  .source = "education", .rag = "green", .level = 2, .assigned = "demo-csc2",
	  .referrer = "Leah Moffat", .referrer_role = "Nursery manager",
	  .referrer_agency = "Little Wrens Nursery", .referrer_contact = "01632 960566",
	  .concern = "Zoë's key worker has seen her mother shout at Zoë and pull her roughly by the arm at collection several times this month. "
		"Zoë has started biting other children and says she is a bad girl.",
	  .impact = "Zoë is unsettled and her speech has gone backwards.",
	  .tried = "The nursery met Ms Hartley and agreed a settling plan for drop-off and collection.",
	  .strengths = "Ms Hartley has been open with the nursery and keeps in touch every day.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Hartley agreed to the nursery sharing its concerns.",
	  .checks = {
		{ "education", "complete", "shareable", "consent",
		  "Nursery attendance 88%; four records of distress at collection this month." },
		{ "health", "in-progress", "shareable", "consent",
		  "Health visitor reviewing records; the last developmental check was on track." },
		{ "csc", "in-progress", "shareable", "public-task",
		  "Checking records for the household, including Zoë's brother Jayden." } },
	  .rerate = { 10, "amber", "demo-csc2",
		"The health visitor found two missed developmental reviews and a bruise noted in the spring: raised." } },
	{ .child = C_JAYDEN, .hours_ago = 40, .category = "emotional",
	  .source = "school", .rag = "green", .level = 1,
	  .referrer = "Owen Gale", .referrer_role = "Head of Year 9",
	  .referrer_agency = "Brackwater High School",
	  .referrer_contact = "o.gale@brackwater-high.example",
	  .concern = "Jayden told his tutor he is fed up with the shouting at home and spends as much time as he can at a friend's house. "
		"He is otherwise doing well, and no injuries or incidents were described.",
	  .strengths = "Jayden is doing well in his lessons and plays for the school basketball team.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Jayden and his mother agreed to the school contacting the hub." },
	{ .child = C_FARHAN, .hours_ago = 27, .category = "parental-mental-health",
	  .source = "la-social-care", .rag = "amber", .level = 3, .assigned = "demo-csc1",
	  .referrer = "Gillian Orme",
	  .referrer_role = "Approved mental health professional (adult social care)",
	  .referrer_agency = "Kestrelford Council", .referrer_contact = "01632 960903",
	  .concern = "Farhan's father, Jamal Chowdhury, was detained under section 2 of the Mental Health Act on Tuesday after a relapse of psychosis. "
		"Farhan's mother, Shahida Begum, is caring for Farhan and his two younger sisters alone and does not drive. "
		"Before his admission Mr Chowdhury had been saying that the children were in danger from the neighbours.",
	  .impact = "Farhan saw his father being taken to hospital and has been waking in the night.",
	  .tried = "Adult social care has put Mrs Begum in touch with a carers' support worker.",
	  .strengths = "Mrs Begum is coping well and has support from her sister. The school knows and is supportive.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Mrs Begum agreed to information being shared to get support for the children.",
	  .checks = {
		{ "csc", "complete", "shareable", "public-task",
		  "Brief early help involvement two years ago during an earlier admission; closed with a good outcome." },
		{ "health", "in-progress", "restricted", "public-task",
		  "Mental health trust liaising with the ward; discharge planning not yet started." },
		{ "probation", "nothing-known", "shareable", "public-task", NULL },
		{ "housing", "requested", NULL, NULL, NULL },
		{ "police", "nothing-known", "shareable", "public-task",
		  "No records for the household." } } },
	{ .child = C_BETHANY, .hours_ago = 58, .category = "other",
	  .source = "individual-other", .rag = "amber", .level = 3, .assigned = "demo-csc1",
	  .referrer = "Jordan Kemp", .referrer_role = "Volunteer youth worker, Oldmoor Youth Project",
	  .referrer_contact = "07700 900781",
	  .concern = "Bethany told her youth worker she has been cutting her arms most days and showed recent wounds that had been cleaned. "
		"She said she has thought about ending her life but has no plan. "
		"Her mother knows and took her to the GP last week; the wait for the mental health service is several months.",
	  .impact = "Bethany is missing school and has withdrawn from her friends.",
	  .tried = "The GP has referred Bethany to the children's mental health service and given her crisis line numbers.",
	  .strengths = "Bethany talks openly with her youth worker, and her mother is supportive.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Bethany and her mother both agreed to the referral.",
	  .checks = {
		{ "police", "nothing-known", "shareable", "public-task", NULL },
		{ "csc", "complete", "shareable", "public-task",
		  "No previous referrals. Known only as a young carer for her grandmother two years ago." },
		{ "health", "complete", "restricted", "consent",
		  "Referral to the children's mental health service accepted; on the waiting list. One emergency department attendance for self-harm last month." },
		{ "education", "complete", "shareable", "public-task",
		  "Attendance 74% this term; pastoral support in place." },
		{ "probation", "nothing-known", "shareable", "public-task", NULL },
		{ "housing", "nothing-known", "shareable", "public-task", NULL } } },

	/* ---- open: within the day ---- */
	{ .child = C_AHMED, .hours_ago = 5, .category = "other", .source = "housing",
	  .rag = "amber", .level = 2, .assigned = "demo-csc2",
	  .referrer = "Daniel Hoyle", .referrer_role = "Housing options officer",
	  .referrer_agency = "Kestrelford Council housing service",
	  .referrer_contact = "01632 960227",
	  .concern = "Ahmed, 16, came to the housing options desk saying he had been asked to leave home after arguments with his mother and stepfather. "
		"For two weeks he has slept on friends' floors and one night in a stairwell. "
		"He is still going to college but has no money for food.",
	  .impact = "Ahmed is tired and hungry and worried about losing his college place.",
	  .tried = "Housing gave emergency food vouchers and explained his options.",
	  .strengths = "Ahmed is articulate, goes to college and wants to stay in education.",
	  .parents_aware = 0, .consent = "given",
	  .consent_reason = "Ahmed agreed to the referral; he asked that his mother is not contacted until he has spoken to a social worker." },
	{ .child = C_LILY_MAE, .hours_ago = 1, .category = "neglect",
	  .source = "anonymous", .referrer = "Anonymous caller",
	  .referrer_role = "Member of the public (gave no name)",
	  .concern = "A caller who would not give a name said the two young children at 2 Mallow Crescent are often heard crying for long periods and the baby is taken out in the cold without a coat. "
		"The caller said the mother seems to be struggling since her partner left.",
	  .parents_aware = -1, .no_people = 1 },
	{ .child = C_HARVEY, .hours_ago = 1, .category = "neglect",
	  .source = "anonymous", .referrer = "Anonymous caller",
	  .referrer_role = "Member of the public (gave no name)",
	  .concern = "From the same anonymous call as his sister Lily-Mae: Harvey was seen in the front garden in just a nappy on a cold afternoon last week, with no adult in sight.",
	  .parents_aware = -1, .no_people = 1 },
	{ .child = C_RUBY, .hours_ago = 0, .category = "neglect", .source = "unknown",
	  .concern = "An unsigned, handwritten letter reached the hub this morning with no return address. "
		"It says Ruby often walks to school alone along the ring road and that her mother is never around. "
		"No other details were given.",
	  .parents_aware = -1, .no_people = 1 },
	{ .child = C_KAI, .hours_ago = 3, .category = "cce", .source = "police",
	  .rag = "red", .level = 4, .assigned = "demo-csc2",
	  .allocated_worker = "Rachel Obi, Child in Need Team 2",
	  .referrer = "DC 3108 Hannah Greaves", .referrer_role = "Exploitation team",
	  .referrer_agency = "Kestrelford Police", .referrer_contact = "01632 960455",
	  .concern = "Kai was found by transport police at a station two counties away at 02:00 with £600 in cash and two phones. "
		"He said he had been visiting a friend but could not give the friend's name. "
		"He has been reported missing three times in the last month.",
	  .impact = "Kai looked exhausted and had a healing cut to his hand that he would not explain. He is at risk of serious harm from the people exploiting him.",
	  .tried = "Kai has a social worker under a child in need plan and has been referred to the youth service's exploitation worker.",
	  .strengths = "Kai's mother reports every missing episode promptly. Kai gets on well with his football coach.",
	  .parents_aware = 1, .consent = "not-sought",
	  .consent_reason = "Ms Thompson knows police are involved; consent was not sought because the information is part of an active police operation.",
	  .checks = {
		{ "police", "complete", "restricted", "public-task",
		  "Intelligence check with the exploitation team: Kai is linked to a known drug supply line whose holders are under investigation." },
		{ "csc", "complete", "shareable", "public-task",
		  "Open to Child in Need Team 2 (Rachel Obi) since last month; two earlier referrals about exploitation." },
		{ "education", "complete", "shareable", "public-task",
		  "Permanently excluded in October; attends the pupil referral unit part time, attendance 52%." },
		{ "probation", "requested", NULL, NULL, NULL },
		{ "housing", "nothing-known", "shareable", "public-task", NULL } } },
	{ .child = C_MINH_ANH, .hours_ago = 9, .category = "cse",
	  .source = "school-nurse", .rag = "red", .level = 4, .assigned = "demo-csc1",
	  .allocated_worker = "Tom Ferriday, Child in Need Team 1",
	  .referrer = "Gemma Kilbride", .referrer_role = "School nurse",
	  .referrer_agency = "Kestrelford Community Health", .referrer_contact = "07700 900142",
	  .concern = "Minh Anh told the school nurse that a man she met online, who she believes is 19, has been picking her up after school and taking her to a flat where other older men go. "
		"She has been given alcohol and a new phone. She says he is her boyfriend.",
	  .impact = "Minh Anh is missing lessons and her attendance has dropped sharply. She seems frightened of what will happen if she stops seeing him.",
	  .tried = "After the referral six weeks ago a social worker visited, the family agreed a safety plan and Minh Anh was given an exploitation worker.",
	  .strengths = "Minh Anh trusts the school nurse and keeps talking to her. Her parents are caring and cooperated fully last time.",
	  .parents_aware = 0, .consent = "not-sought",
	  .consent_reason = "Police asked that the family are not told until they have acted, so the adults involved are not alerted.",
	  .checks = {
		{ "police", "complete", "restricted", "public-task",
		  "The flat is known to police; two adult men there are subjects of an open investigation into child sexual exploitation. Not to be disclosed outside the hub." },
		{ "csc", "complete", "shareable", "public-task",
		  "Open child in need plan since the referral six weeks ago (Tom Ferriday)." },
		{ "health", "complete", "conditional", "safeguarding",
		  "Seen by the sexual health service last month; detail available to the strategy discussion only." },
		{ "education", "complete", "shareable", "public-task",
		  "Attendance down from 97% to 71% this half term; often leaves the site at lunchtime." },
		{ "probation", "nothing-known", "shareable", "public-task", NULL },
		{ "housing", "nothing-known", "shareable", "public-task", NULL } } },
	{ .child = C_MEILING, .hours_ago = 20, .category = "parental-mental-health",
	  .source = "gp", .rag = "amber", .level = 3, .assigned = "demo-csc2",
	  .referrer = "Dr Hannah Crowther", .referrer_role = "GP",
	  .referrer_agency = "Kestrelford Riverside Practice", .referrer_contact = "01632 960731",
	  .concern = "Meiling's mother, Ms Huang, saw her GP yesterday describing severe low mood and not sleeping. "
		"She said some days she cannot get out of bed, and Meiling makes her own breakfast and takes herself to school. "
		"Meiling's father works long hours in the family's restaurant.",
	  .impact = "Meiling is a quiet, capable girl, but her teacher has noticed she is tired and has stopped handing in homework.",
	  .tried = "Ms Huang has started treatment and been referred to the talking therapies service.",
	  .strengths = "Both parents are committed to Meiling, and Ms Huang asked for help herself.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Huang agreed, through a Mandarin interpreter, to the GP making the referral.",
	  .checks = {
		{ "health", "complete", "restricted", "consent",
		  "Mother diagnosed with depression; treatment started this week. Restricted to the hub." },
		{ "csc", "nothing-known", "shareable", "public-task", NULL },
		{ "education", "in-progress", "shareable", "public-task",
		  "Attendance 94%; collecting the class teacher's observations." },
		{ "police", "in-progress", "shareable", "public-task",
		  "Looking up last year's call to the restaurant." } },
	  .asked_later = { "police", 1,
		"Ms Huang mentioned police called at the restaurant last year: police asked too." } },
	{ .child = C_SIOBHAN, .hours_ago = 2, .category = "sexual", .source = "school",
	  .rag = "red", .level = 4, .assigned = "demo-csc1",
	  .referrer = "Catherine Moss", .referrer_role = "Designated safeguarding lead",
	  .referrer_agency = "Kestrelford Academy", .referrer_contact = "01632 960612",
	  .concern = "Siobhán told her form tutor this morning that her uncle, who stays at the house at weekends, has been coming into her room at night and touching her. "
		"She said it has happened several times since the summer. "
		"Her words were written down as she said them and she was not questioned further.",
	  .impact = "Siobhán was tearful but clear. She does not want to go home if her uncle is there this weekend.",
	  .strengths = "Siobhán chose to tell a teacher she trusts, and she has good friends at school.",
	  .parents_aware = 0, .consent = "not-sought",
	  .consent_reason = "Siobhán named a family member; telling the family before police are involved could put her at risk and harm an investigation." },
	{ .child = C_AMIRA, .hours_ago = 6, .category = "emotional", .source = "self",
	  .rag = "amber", .assigned = "demo-csc2",
	  .referrer = "Amira Haddad", .referrer_role = "The child (self-referral)",
	  .referrer_contact = "07700 900563",
	  .concern = "Amira, 13, phoned the hub herself after seeing a poster at school. "
		"She said her mother tells her every day that she is a burden and wishes she had never been born, and that she is sent to her room whenever visitors come. "
		"She did not describe any physical harm.",
	  .impact = "Amira says she feels invisible at home and cries herself to sleep.",
	  .parents_aware = 0, .consent = "given",
	  .consent_reason = "Amira agreed to the hub speaking to her school, but not yet to her parents." },
	{ .child = C_JAKUB, .hours_ago = 14, .category = "neglect",
	  .source = "primary-health", .rag = "green", .level = 2, .assigned = "demo-csc2",
	  .referrer = "Dr Martin Ecclestone", .referrer_role = "Dentist",
	  .referrer_agency = "Wherry Lane Dental Practice", .referrer_contact = "01632 960840",
	  .concern = "Jakub was brought to the dentist with toothache. He has extensive decay that needs treatment under general anaesthetic, and his parents said he goes to bed with a bottle of juice. "
		"The family missed two earlier appointments and are worried about the cost of getting to the hospital.",
	  .impact = "Jakub is in pain and not eating well.",
	  .tried = "The practice gave advice on diet and brushing and has made the hospital referral.",
	  .strengths = "Both parents are attentive and came straight away when Jakub was in pain.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Both parents agreed, with a Czech interpreter on the phone.",
	  .checks = {
		{ "health", "complete", "shareable", "consent",
		  "Health visitor records: growth on track; the two-year review was missed." },
		{ "education", "nothing-known", "shareable", "public-task",
		  "Not registered with any nursery or childminder." },
		{ "housing", "in-progress", "shareable", "public-task",
		  "Checking the tenancy and any repairs reported." },
		{ "csc", "requested", NULL, NULL, NULL },
		{ "police", "requested", NULL, NULL, NULL } } },
	{ .child = C_SIMRAN, .hours_ago = 11, .category = "domestic-abuse",
	  .source = "family", .rag = "amber", .level = 3, .assigned = "demo-csc1",
	  .referrer = "Kulwant Kaur Gill", .referrer_role = "Maternal grandmother",
	  .referrer_contact = "07700 900615",
	  .concern = "Simran's grandmother rang to say her daughter Harjit has told her that her husband checks her phone, stops her seeing friends and has slapped her twice. "
		"Last weekend Simran told her grandmother that Papa made Mama cry and broke the TV. "
		"Harjit has asked her mother not to tell anyone.",
	  .impact = "Simran has become clingy and anxious about leaving her mother.",
	  .tried = "The grandmother has given Harjit the number of the local domestic abuse service.",
	  .strengths = "Simran is close to her grandmother, who lives nearby and is a safe place for her.",
	  .parents_aware = 0, .consent = "not-sought",
	  .consent_reason = "Ms Sandhu fears her husband's reaction if he learns the family has been contacted; asking the parents now could increase the risk.",
	  .checks = {
		{ "police", "complete", "conditional", "public-task",
		  "One call from the address in March described as a verbal argument; no offences recorded. Jaspal Sandhu has no convictions. Not to be discussed with either parent." },
		{ "csc", "in-progress", "shareable", "public-task", NULL },
		{ "probation", "in-progress", "shareable", "public-task",
		  "Checking whether Jaspal Sandhu has been known to probation in another area." },
		{ "education", "complete", "shareable", "public-task",
		  "Attendance 98%; her teacher has noticed Simran seems tired and quieter this term." },
		{ "health", "nothing-known", "shareable", "public-task", NULL } } },

	/* ---- decided this week or last ---- */
	{ .child = C_TOLULOPE, .hours_ago = 100, .category = "neglect",
	  .source = "school", .rag = "green", .level = 2, .assigned = "demo-csc2",
	  .referrer = "Helen Aske", .referrer_role = "Designated safeguarding lead",
	  .referrer_agency = "Oldmoor Infant and Junior School",
	  .referrer_contact = "01632 960350",
	  .concern = "Tolulope has come to school without a coat or lunch most days this month and has had three days of unexplained absence. "
		"Her mother told staff she is working night shifts and Tolulope's father is working away.",
	  .impact = "Tolulope is tired in class and fell asleep twice last week.",
	  .tried = "The school has given Tolulope a breakfast club place and uniform from its spare stock.",
	  .strengths = "Tolulope is cheerful and loves reading. Her mother is warm and answers quickly when contacted.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Adeyemi agreed to the referral for extra help.",
	  .checks = {
		{ "education", "complete", "shareable", "consent",
		  "Attendance 89%; concerns about lunch and clothing logged since September." },
		{ "health", "complete", "shareable", "consent",
		  "Health visitor has concerns about Tolulope's younger brother Ayomide; referral made this week." },
		{ "csc", "complete", "shareable", "public-task",
		  "One earlier referral about Tolulope in the spring, closed with advice." } },
	  .decision = { "early-help", "demo-sup", NULL, 0, 20, "csc,education,health",
		"Tolulope's needs come from a mother working nights with little help, not from significant harm. Ms Adeyemi accepts there are difficulties and has agreed to an early help assessment led by the school; her brother's referral is being assessed alongside.",
		"Thank you. The hub has agreed an early help assessment led by the school; the early help coordinator will be in touch this week.",
		{ { "Complete an early help assessment with Ms Adeyemi", "Helen Aske (school safeguarding lead)", 7 },
		  { "Refer Ms Adeyemi for advice on childcare and benefits", "Early Help Hub", 10 } } } },
	{ .child = C_AYOMIDE, .hours_ago = 98, .category = "neglect",
	  .source = "health-visitor", .rag = "amber", .level = 3, .assigned = "demo-csc1",
	  .referrer = "Marion Tebbutt", .referrer_role = "Health visitor",
	  .referrer_agency = "Kestrelford Community Health", .referrer_contact = "07700 900274",
	  .concern = "At a home visit the health visitor found Ayomide, aged two, alone in his cot in a cold bedroom with a soiled nappy while his mother slept after a night shift. "
		"There was little food in the kitchen. His weight has dropped from the 50th to the 9th centile over six months.",
	  .impact = "Ayomide's growth is faltering and his speech is delayed.",
	  .tried = "Weekly weighing and advice on diet since the summer.",
	  .strengths = "Ms Adeyemi responded straight away and took Ayomide to the GP the same day.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Adeyemi agreed to the health visitor sharing her concerns.",
	  .checks = {
		{ "health", "complete", "shareable", "consent",
		  "Weight faltering; paediatric review requested. Two missed appointments." },
		{ "csc", "complete", "shareable", "public-task",
		  "Sister Tolulope referred this week (early help agreed)." },
		{ "housing", "complete", "shareable", "public-task",
		  "Housing association tenancy; damp reported in two rooms and repairs booked." } },
	  .decision = { "s17", "demo-csc1", NULL, 0, 26, "csc,health,housing,education",
		"Taken with Tolulope's referral there is a pattern of neglect linked to the family's circumstances. Ayomide's faltering growth needs a child and family assessment under section 17 rather than early help; Tolulope will be included.",
		"Thank you. A social worker will complete a child and family assessment and will ask for your view.",
		{ { "Allocate a social worker and visit within five working days", "demo-sup", 2 },
		  { "Arrange the paediatric review", "demo-health1", 7 },
		  { "Chase the damp repairs with the housing association", "demo-housing1", 10 } } } },
	{ .child = C_RHYS, .hours_ago = 75, .category = "physical",
	  .source = "hospital", .rag = "red", .level = 4, .assigned = "demo-csc1",
	  .referrer = "Dr Adam Kirkby", .referrer_role = "Paediatric registrar",
	  .referrer_agency = "Kestrelford General Hospital", .referrer_contact = "01632 960999",
	  .concern = "Rhys, aged five, was brought to the emergency department with a spiral fracture of his upper arm. "
		"His mother said he fell from the sofa; her partner said he fell on the stairs. "
		"A skeletal survey has been requested.",
	  .impact = "Rhys has been admitted to the children's ward and is comfortable.",
	  .strengths = "Rhys's father, who lives apart, came to the hospital and is offering to help.",
	  .parents_aware = 1, .consent = "not-sought",
	  .consent_reason = NOT_SOUGHT_RISK,
	  .checks = {
		{ "police", "complete", "conditional", "public-task",
		  "Jamie Tranter: no convictions; one report of a road-rage assault in 2020, no further action. For the strategy discussion only." },
		{ "health", "complete", "shareable", "safeguarding",
		  "No earlier attendances for injury. Growth and development normal." },
		{ "csc", "nothing-known", "shareable", "public-task", NULL },
		{ "education", "complete", "shareable", "public-task",
		  "Reception class; no concerns recorded, attendance 95%." } },
	  .decision = { "s47", "demo-sup", NULL, 0, 5, "csc,police,health,education",
		"An unexplained fracture in a five-year-old with differing accounts gives reasonable cause to suspect significant harm. A strategy discussion with police and health agreed a section 47 enquiry and that Rhys stays in hospital until it is safe for him to leave.",
		"Thank you. A strategy discussion has been held and a section 47 enquiry is under way.",
		{ { "Joint visit with police to speak to Ms Pritchard and Mr Tranter", "demo-csc1", 1 },
		  { "Complete the skeletal survey and report to the strategy group", "Paediatric team, Kestrelford General Hospital", 2 },
		  { "Reconvene the strategy discussion", "demo-sup", 3 } } } },
	{ .child = C_OLUWASEUN, .hours_ago = 130, .category = "physical",
	  .source = "other", .rag = "amber", .level = 3, .assigned = "demo-csc2",
	  .referrer = "Gary Pickles", .referrer_role = "Volunteer coach",
	  .referrer_agency = "Oldmoor Juniors Football Club", .referrer_contact = "07700 900236",
	  .concern = "Oluwaseun's football coach noticed straight-line bruises on the backs of his legs when he changed after training. "
		"Oluwaseun said his dad uses a belt when he gets bad marks at school, and asked the coach not to tell anyone.",
	  .impact = "Oluwaseun seemed frightened that he would be in trouble for telling.",
	  .strengths = "Oluwaseun is committed to the team and popular with the other players.",
	  .parents_aware = -1, .consent = "not-sought",
	  .consent_reason = "Speaking to the parents before police and children's social care had agreed a plan could put Oluwaseun at risk.",
	  .checks = {
		{ "police", "complete", "shareable", "public-task",
		  "No earlier reports about the family." },
		{ "education", "complete", "shareable", "public-task",
		  "No concerns logged; described as hard-working and quiet. Attendance 99%." },
		{ "health", "nothing-known", "shareable", "public-task", NULL } },
	  .decision = { "s47", "demo-sup", "red", 4, 6, "csc,police,education,health",
		"Oluwaseun describes being hit with a belt and has marks that fit his account. A strategy discussion agreed a joint section 47 enquiry with police and a child protection medical.",
		"Thank you for acting so quickly. Enquiries are under way; please tell the hub at once if Oluwaseun says anything more.",
		{ { "Joint visit with police to see Oluwaseun and his parents", "demo-csc2", 1 },
		  { "Child protection medical", "Paediatrician on call", 1 } } } },
	{ .child = C_ANA_MARIA, .hours_ago = 150, .category = "neglect",
	  .source = "la-other", .rag = "green", .level = 1, .assigned = "demo-csc2",
	  .referrer = "Alan Dempsey", .referrer_role = "Environmental health officer",
	  .referrer_agency = "Kestrelford Council", .referrer_contact = "01632 960377",
	  .concern = "During an inspection for damp, the environmental health officer found the family of four sharing one bedroom, with black mould on the wall by Ana-Maria's bed. "
		"The flat was otherwise clean and the children seemed well cared for. Mrs Popescu asked for help to move.",
	  .impact = "Ana-Maria has had repeated chest infections this winter.",
	  .tried = "Environmental health have served notice on the landlord to treat the damp.",
	  .strengths = "The parents are attentive and the home is clean and organised.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Mr and Mrs Popescu agreed, in Romanian through an interpreter.",
	  .checks = {
		{ "housing", "complete", "shareable", "consent",
		  "On the housing register since last year; banding to be reviewed on medical grounds." },
		{ "health", "complete", "shareable", "consent",
		  "Three GP visits for chest infections this winter; immunisations up to date." },
		{ "education", "complete", "shareable", "public-task",
		  "Attendance 96%; no concerns." } },
	  .decision = { "advice", "demo-csc2", NULL, 0, 30, "csc,housing,health,education",
		"There are no concerns about the care Ana-Maria receives; the difficulty is the housing. The family were given advice and signposted to housing support, and environmental health are already acting.",
		"Thank you. This is a housing matter rather than a safeguarding one; the family have been given advice and housing will review their banding.",
		{ { "Review the family's banding with the GP's letter", "demo-housing1", 5 },
		  { "Send the family details of the housing advice centre", "demo-csc2", 2 } } } },
	{ .child = C_REUBEN, .hours_ago = 170, .category = "emotional",
	  .source = "legal", .rag = "green", .level = 1, .assigned = "demo-csc2",
	  .referrer = "Eleanor Thwaite", .referrer_role = "Solicitor for the father (private family proceedings)",
	  .referrer_agency = "Thwaite & Co Solicitors",
	  .referrer_contact = "e.thwaite@thwaite-law.example",
	  .concern = "The father's solicitor reports that Reuben has told his father that his mother says bad things about him and that Reuben should not want to see him. "
		"The parents are in court proceedings about contact. No other concerns were raised.",
	  .impact = "Reuben is said to be anxious before handovers.",
	  .tried = "A family court adviser is already involved in the proceedings.",
	  .strengths = "The school describes both parents as loving and involved.",
	  .parents_aware = 1, .consent = "refused",
	  .consent_reason = "Ms Adler refused consent, saying the referral is part of the court dispute; the hub used only the information agencies already held.",
	  .checks = {
		{ "education", "complete", "shareable", "public-task",
		  "Attendance 98%; no concerns; Reuben is described as happy." },
		{ "health", "nothing-known", "shareable", "public-task", NULL },
		{ "police", "nothing-known", "shareable", "public-task", NULL } },
	  .decision = { "nfa", "demo-csc2", NULL, 0, 22, "csc,education,health,police",
		"The concern is parental conflict already before the family court, where Reuben's wishes and feelings are being assessed. No agency holds information suggesting Reuben is at risk of significant harm or has unmet needs.",
		"Thank you. No further action by the hub; the matter is being considered within the court proceedings.",
		{ { "Send the outcome to the referrer and the family court adviser", "demo-csc2", 2 } } } },
	{ .child = C_TYLER, .hours_ago = 200, .category = "substance-misuse",
	  .source = "acquaintance", .rag = "amber", .level = 3, .assigned = "demo-csc1",
	  .referrer = "Kerry Aldous", .referrer_role = "Family friend",
	  .referrer_contact = "07700 900429",
	  .concern = "A family friend says Tyler's mother has been drinking heavily since losing her job, and that Tyler has been making his own meals and getting himself to school. "
		"Last week she found Tyler's mother asleep on the kitchen floor in the afternoon.",
	  .impact = "Tyler is worried about his mother and embarrassed to bring friends home.",
	  .tried = "The friend has been having Tyler for tea twice a week.",
	  .strengths = "Tyler's father is home most evenings and says he wants help.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Mr Burrows agreed to agencies sharing information.",
	  .checks = {
		{ "police", "complete", "shareable", "public-task",
		  "One call in June: a neighbour's concern for Mrs Burrows, who was found intoxicated but unhurt." },
		{ "health", "complete", "restricted", "consent",
		  "Mrs Burrows has been referred to the alcohol service by her GP; not yet attended." },
		{ "education", "complete", "shareable", "public-task",
		  "Attendance 90%; Tyler is often late and tired." } },
	  .decision = { "s17", "demo-sup", NULL, 0, 28, "csc,police,health,education",
		"Tyler is taking on the care of himself and his home while his mother's drinking worsens. His needs and his parents' capacity need a child and family assessment under section 17.",
		"Thank you. A social worker will assess Tyler's needs and contact you.",
		{ { "Child and family assessment, seeing Tyler alone", "demo-csc1", 10 },
		  { "Encourage Mrs Burrows to take up the alcohol service", "demo-health2", 7 } } } },
	{ .child = C_NOAH, .hours_ago = 220, .category = "other", .source = "police",
	  .rag = "amber", .level = 3, .assigned = "demo-csc2",
	  .referrer = "PC 1450 Oliver Banks", .referrer_role = "Missing persons coordinator",
	  .referrer_agency = "Kestrelford Police", .referrer_contact = "01632 960458",
	  .concern = "Noah has been reported missing by his mother three times in four weeks, coming back the next day each time. "
		"Last time he was found in a park in the early hours with older teenagers and appeared drunk. He will not say where he has been.",
	  .impact = "Noah is at risk when missing and is falling behind at school.",
	  .strengths = "Ms Fitzgerald reports every episode and is keen to work with services.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Fitzgerald agreed to the referral.",
	  .checks = {
		{ "police", "complete", "conditional", "public-task",
		  "Three missing episodes; return interviews note links to older teenagers under investigation. Share with the allocated worker only." },
		{ "education", "complete", "shareable", "public-task",
		  "Attendance 83%; two recent detentions." },
		{ "csc", "nothing-known", "shareable", "public-task", NULL } },
	  .decision = { "s17", "demo-csc2", NULL, 0, 30, "csc,police,education",
		"Repeated missing episodes with possible links to older young people suggest a risk of exploitation. A section 17 assessment, with an exploitation screening, is needed.",
		"Thank you. A social worker will assess Noah's needs and screen for exploitation.",
		{ { "Child and family assessment with an exploitation screening", "demo-csc2", 10 },
		  { "Share return interview findings with the social worker", "demo-police1", 3 } } } },
	{ .child = C_LEON, .hours_ago = 190, .category = "physical", .source = "school",
	  .rag = "amber", .level = 3, .assigned = "demo-csc1",
	  .referrer = "Paul Whiteley", .referrer_role = "Headteacher",
	  .referrer_agency = "Brackwater Lane Primary Academy", .referrer_contact = "01632 960519",
	  .concern = "Leon came to school with a black eye and said his older brother, Callum, hit him when he would not get off the games console. "
		"Leon is autistic and finds it hard to describe events; his mother confirmed the brothers fight and said she cannot manage Callum.",
	  .impact = "Leon is frightened of his brother and has been refusing to go home at the end of the day.",
	  .tried = "The school has put in a calm space and an end-of-day routine for Leon.",
	  .strengths = "Ms Ashby is honest about the difficulties and wants help for both boys.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Ashby agreed to information being shared.",
	  .checks = {
		{ "police", "complete", "shareable", "public-task",
		  "Callum Ashby, 17: one reprimand for criminal damage last year." },
		{ "education", "complete", "shareable", "public-task",
		  "Leon has an education, health and care plan; three injuries logged this year, each explained as sibling fights." },
		{ "health", "complete", "shareable", "consent",
		  "Leon is under the community paediatrician for autism; no injury concerns recorded." } },
	  .decision = { "s17", "demo-csc1", NULL, 0, 24, "csc,police,education,health",
		"The injuries come from an older sibling rather than a parent, and Ms Ashby is protective but overwhelmed. A section 17 assessment of both boys' needs, including support for Callum, is the right response.",
		"Thank you. A social worker will assess the needs of Leon and his brother.",
		{ { "Child and family assessment covering both brothers", "demo-csc1", 10 },
		  { "Refer Callum to the youth service", "Kestrelford youth service", 7 },
		  { "Share the school's safety plan with the social worker", "demo-education1", 3 } } } },
	{ .child = C_SOFIA, .hours_ago = 230, .category = "neglect",
	  .source = "education", .rag = "green", .level = 2, .assigned = "demo-csc2",
	  .referrer = "Pauline Hurst", .referrer_role = "Education welfare officer",
	  .referrer_agency = "Kestrelford Council education service",
	  .referrer_contact = "01632 960642",
	  .concern = "Sofía's attendance has fallen to 72% this year, mostly Mondays and Fridays. "
		"On a home visit her mother said she has been unwell with back pain and Sofía sometimes stays home to help with her little brother. "
		"The home was tidy and Sofía was well presented.",
	  .impact = "Sofía is falling behind in maths and misses her friends.",
	  .tried = "Attendance letters and one meeting at school.",
	  .strengths = "Ms Moreno is loving and open about her difficulties; Sofía is bright and well liked.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Moreno agreed to the referral for early help.",
	  .checks = {
		{ "education", "complete", "shareable", "consent",
		  "Attendance 72%; no other concerns." },
		{ "health", "complete", "shareable", "consent",
		  "Ms Moreno is waiting for a back operation; Álvaro's health reviews are up to date." } },
	  .decision = { "early-help", "demo-csc2", NULL, 0, 40, "csc,education,health",
		"Sofía is missing school because she is helping a mother in pain, not because of neglect. Early help can arrange practical support and childcare so that Sofía can attend.",
		"Thank you. An early help worker will contact the family and the school.",
		{ { "Early help assessment and a young carers' assessment", "Early Help Hub", 7 },
		  { "Weekly attendance check", "St Aldric's C of E Primary School", 14 } } } },
	{ .child = C_HAMZA, .hours_ago = 80, .category = "emotional",
	  .source = "school-nurse", .rag = "green", .level = 2, .assigned = "demo-csc2",
	  .referrer = "Aileen Boyd", .referrer_role = "School nurse",
	  .referrer_agency = "Kestrelford Community Health", .referrer_contact = "07700 900657",
	  .concern = "Hamza told the school nurse he is constantly worried about exams and his parents' expectations and has stopped sleeping well. "
		"He said his parents are kind but he does not want to disappoint them. There are no concerns about harm.",
	  .impact = "Hamza is tired and anxious and has had headaches.",
	  .strengths = "Hamza talks readily about his feelings, and his parents came to school as soon as they were asked.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Hamza and his parents agreed to the referral.",
	  .checks = {
		{ "education", "complete", "shareable", "consent",
		  "Attendance 99%; high achiever; no concerns logged." },
		{ "health", "complete", "shareable", "consent",
		  "GP seen once for headaches; no other concerns." } },
	  .decision = { "advice", "demo-csc1", NULL, 0, 18, "csc,education,health",
		"Hamza is anxious but well supported, and there are no concerns about his care. He and his parents were given advice and signposted to school counselling and the young people's wellbeing service.",
		"Thank you. Hamza and his parents have been given advice and signposted to counselling; no further hub action.",
		{ { "Offer Hamza school counselling", "Marram Park Academy pastoral lead", 5 } } } },
	{ .child = C_TOMAS, .hours_ago = 70, .category = "substance-misuse",
	  .source = "police", .rag = "red", .level = 4, .assigned = "demo-csc1",
	  .referrer = "PS 0882 Lauren Pike", .referrer_role = "Response sergeant",
	  .referrer_agency = "Kestrelford Police", .referrer_contact = "01632 960101",
	  .concern = "Police entered the flat at 21:30 after neighbours reported a toddler crying for hours. "
		"Tomás, aged two, was alone in his cot, distressed and hungry; his mother came back an hour later heavily intoxicated. "
		"Officers used police protection powers and Tomás is with his maternal aunt.",
	  .impact = "Tomás was dehydrated and has been checked by a paediatrician; he has no injuries.",
	  .strengths = "Tomás knows his aunt well and she has offered to care for him.",
	  .parents_aware = 0, .consent = "not-sought",
	  .consent_reason = "Ms Barros was too intoxicated to understand or give consent, and the decision could not wait.",
	  .checks = {
		{ "police", "complete", "shareable", "vital-interests",
		  "Police protection used at 22:05. Filipa Barros was arrested for child neglect and released under investigation." },
		{ "health", "complete", "shareable", "vital-interests",
		  "Paediatric check that night: mild dehydration, no injuries. Immunisations up to date." },
		{ "csc", "nothing-known", "shareable", "public-task", NULL },
		{ "housing", "complete", "shareable", "public-task",
		  "Council tenancy; one earlier noise complaint." } },
	  .decision = { "immediate-protection", "demo-sup", NULL, 0, 3, "csc,police,health,housing",
		"Tomás was left alone and his mother could not care for him safely that night. Police protection was used, and the hub agreed he stays with his maternal aunt by agreement while a section 47 enquiry and legal advice follow.",
		"Thank you. Tomás is safe with a relative and a social worker has been allocated.",
		{ { "Viability assessment of the maternal aunt", "demo-csc1", 2 },
		  { "Strategy discussion and section 47 enquiry", "demo-sup", 1 },
		  { "Arrange supervised contact for Ms Barros", "demo-csc2", 3 } } } },
	{ .child = C_ZAINAB, .hours_ago = 120, .category = "sexual", .source = "police",
	  .rag = "amber", .level = 3, .assigned = "demo-csc2",
	  .referrer = "DC 2740 Sophie Marsh", .referrer_role = "Online child abuse team",
	  .referrer_agency = "Kestrelford Police", .referrer_contact = "01632 960470",
	  .concern = "Zainab's parents reported to police that an adult she met through a gaming app persuaded her to send intimate images and is now threatening to share them unless she sends more. "
		"Zainab has blocked him and told her parents. Police have taken her phone as evidence.",
	  .impact = "Zainab is very distressed and ashamed and has not been to school for three days.",
	  .tried = "Police have helped the family report the images for removal.",
	  .strengths = "Zainab told her parents herself, and they have responded calmly and supportively.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Zainab and her parents agreed to agencies sharing information.",
	  .checks = {
		{ "police", "complete", "restricted", "public-task",
		  "Investigation opened into sexual communication with a child and blackmail; the account is linked to other reports. Not to be shared outside the hub." },
		{ "education", "complete", "shareable", "public-task",
		  "Attendance 97% before this week; no earlier concerns." },
		{ "health", "nothing-known", "shareable", "public-task", NULL } },
	  .decision = { "s47", "demo-sup", NULL, 4, 8, "csc,police,education,health",
		"Zainab has been sexually exploited online and is being threatened. A strategy discussion agreed a joint section 47 enquiry to assess her safety and support alongside the police investigation; her parents are protective.",
		"Thank you. A joint enquiry with police is under way and Zainab is being offered support.",
		{ { "Visit Zainab with police to agree a safety plan", "demo-csc2", 1 },
		  { "Refer Zainab to the sexual abuse support service", "demo-health1", 5 },
		  { "Agree a return-to-school plan", "Marram Park Academy safeguarding lead", 5 } } } },
	{ .child = C_MERCY, .hours_ago = 140, .category = "emotional", .source = "school",
	  .rag = "green", .level = 2, .assigned = "demo-csc1",
	  .referrer = "Shona McBride", .referrer_role = "Head of Year 11",
	  .referrer_agency = "Kestrelford Academy", .referrer_contact = "01632 960615",
	  .concern = "Mercy told her head of year that there are constant arguments at home about her plans after school and that her father has said she is no longer welcome if she goes ahead. "
		"She has spent some nights at a friend's house. No physical harm was described.",
	  .impact = "Mercy is anxious, tearful and struggling to revise for her exams.",
	  .tried = "The school has offered mentoring and a quiet place to study.",
	  .strengths = "Mercy is hard-working and has a supportive aunt she can stay with.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Mercy agreed; her mother also agreed when the school called her.",
	  .checks = {
		{ "education", "complete", "shareable", "consent",
		  "Attendance 95%; no earlier concerns." },
		{ "csc", "nothing-known", "shareable", "public-task", NULL } },
	  .decision = { "early-help", "demo-sup", NULL, 0, 35, "csc,education",
		"Mercy is in a family conflict that family mediation could help with; she has a safe place with her aunt. Early help with family mediation is proportionate.",
		"Thank you. Early help will offer the family mediation; please keep supporting Mercy in school.",
		{ { "Offer family mediation", "Early Help Hub", 10 } } } },
	{ .child = C_ELLA, .hours_ago = 160, .category = "neglect",
	  .source = "health-visitor", .rag = "amber", .level = 3, .assigned = "demo-csc2",
	  .referrer = "Bronwen Lacey", .referrer_role = "Health visitor",
	  .referrer_agency = "Kestrelford Community Health", .referrer_contact = "07700 900790",
	  .concern = "At a follow-up visit the health visitor found that Ella, four months old, has gained little weight since birth. "
		"Her mother, who is 19 and recently left care, lives alone and said she sometimes misses feeds when Ella sleeps. "
		"The flat was cold because the electricity meter had run out.",
	  .impact = "Ella's weight gain is well below what is expected.",
	  .tried = "More frequent health visits and feeding advice over the past month.",
	  .strengths = "Ms Marsden is loving towards Ella and keeps every appointment.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Marsden agreed to the referral.",
	  .checks = {
		{ "health", "complete", "shareable", "consent",
		  "Weight below the 2nd centile; paediatric review booked." },
		{ "csc", "complete", "shareable", "public-task",
		  "Ms Marsden is a care leaver with a personal adviser; no earlier referrals about Ella." },
		{ "housing", "complete", "shareable", "public-task",
		  "Tenancy started in March; a fuel voucher has been issued." } },
	  .decision = { "s17", "demo-csc2", NULL, 0, 20, "csc,health,housing",
		"Ella's poor weight gain, with a young mother who has little support, needs a section 17 assessment with the leaving care service.",
		"Thank you. A social worker will assess Ella's needs and will work with Ms Marsden's personal adviser.",
		{ { "Child and family assessment", "demo-csc2", 10 },
		  { "Paediatric review of Ella's weight", "demo-health2", 5 } } } },

	/* ---- closed at screening: contacts that never became referrals ---- */
	{ .child = C_AYOMIDE, .hours_ago = 7, .category = "neglect",
	  .source = "health-visitor", .assigned = "demo-csc1",
	  .referrer = "Marion Tebbutt", .referrer_role = "Health visitor",
	  .referrer_agency = "Kestrelford Community Health", .referrer_contact = "07700 900274",
	  .concern = "Ayomide missed his second speech and language appointment. The health visitor asked whether the hub knows of any reason the family might be struggling.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Adeyemi knows the health visitor is asking.",
	  .closed = "advice", .screen_minutes = 40,
	  .screening_reason = "Advice to the health visitor: the family is known to early help from the recent referral; rebook with a reminder call and an interpreter-free slot after nursery." },
	{ .child = C_HAMZA, .hours_ago = 36, .category = "emotional", .source = "family",
	  .rag = "green", .assigned = "demo-csc2",
	  .referrer = "Saima Iqbal", .referrer_role = "Mother",
	  .referrer_contact = "07700 900802",
	  .concern = "Hamza's mother rang asking for help: since starting secondary school Hamza has angry outbursts at home, has punched a door and will not get up for school.",
	  .tried = "The school's pastoral lead has met Hamza twice.",
	  .strengths = "Both parents want help and Hamza still enjoys cricket with his father.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Mrs Iqbal asked for help herself.",
	  .closed = "early-help", .screen_minutes = 150,
	  .screening_reason = "No safeguarding concern; the family asked for support with Hamza's behaviour. Passed to early help with their agreement." },
	{ .child = C_REUBEN, .hours_ago = 80, .category = "emotional",
	  .source = "individual-other", .assigned = "demo-csc1",
	  .referrer = "Gavin Morley", .referrer_role = "Swimming club coach",
	  .referrer_contact = "07700 900655",
	  .concern = "Reuben has been tearful at swimming since his parents separated and told his coach he hates going between two houses.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Adler agreed to the coach asking for advice.",
	  .closed = "advice", .screen_minutes = 90,
	  .screening_reason = "Advice to the coach on talking with Reuben and his mother; the school's pastoral team already supports him." },
	{ .child = C_KAI, .hours_ago = 9 * D, .category = "cce", .source = "school",
	  .rag = "amber", .assigned = "demo-csc2",
	  .allocated_worker = "Rachel Obi, Child in Need Team 2",
	  .referrer = "Nadia Brook", .referrer_role = "Pupil referral unit manager",
	  .referrer_agency = "Kestrelford Learning Centre", .referrer_contact = "01632 960690",
	  .concern = "Kai left the pupil referral unit at lunchtime and was seen getting into a car with two older teenagers.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Thompson was told by the unit.",
	  .closed = "allocated", .screen_minutes = 25,
	  .screening_reason = "Kai has an allocated social worker (Rachel Obi, Child in Need Team 2): passed to her the same day to add to his exploitation plan." },
	{ .child = C_SOFIA, .hours_ago = 20 * D, .category = "neglect",
	  .source = "anonymous", .assigned = "demo-csc2",
	  .referrer = "Anonymous caller",
	  .referrer_role = "Member of the public (gave no name)",
	  .concern = "A caller said Sofía is often playing in the street after dark and her mother is never home in the evenings.",
	  .parents_aware = -1, .no_people = 1,
	  .closed = "nfa", .screen_minutes = 180,
	  .screening_reason = "The school confirms Sofía is well cared for; her mother works evenings and a neighbour the family trusts looks after her. No role for the hub." },

	/* ---- earlier history: the same children, weeks or months ago ---- */
	{ .child = C_MAJA, .hours_ago = 118 * D, .category = "domestic-abuse",
	  .source = "school", .rag = "amber", .level = 2, .assigned = "demo-csc2",
	  .referrer = "Helen Cartwright", .referrer_role = "Designated safeguarding lead",
	  .referrer_agency = "Hatchwell Primary School", .referrer_contact = "01632 960388",
	  .concern = "Maja told her teacher that her mum's boyfriend gets angry, shouts and throws things, and that she hides in her room with her brother. "
		"She has no injuries. Her mother said things had been hard but were better now.",
	  .impact = "Maja is anxious at home time.",
	  .strengths = "Maja enjoys school and has a close friend there.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Kowalczyk agreed to the school making the referral.",
	  .checks = {
		{ "police", "complete", "shareable", "public-task",
		  "One call to the address for a verbal argument; no offences." },
		{ "education", "complete", "shareable", "consent",
		  "Attendance 97%; one earlier concern logged." } },
	  .decision = { "early-help", "demo-sup", NULL, 0, 30, "csc,police,education",
		"Domestic abuse concerns without injury and with a mother willing to engage; early help with a domestic abuse programme is proportionate for both children.",
		"Thank you. Early help will work with the family.",
		{ { "Early help assessment for Maja and Antoni", "Early Help Hub", 7 },
		  { "Offer Ms Kowalczyk the domestic abuse programme", "Early Help Hub", 14 } } } },
	{ .child = C_ANTONI, .hours_ago = 119 * D, .category = "domestic-abuse",
	  .source = "police", .rag = "green", .level = 2, .assigned = "demo-csc2",
	  .referrer = "PC 1972 Ben Aldridge", .referrer_role = "Response officer",
	  .referrer_agency = "Kestrelford Police", .referrer_contact = "01632 960180",
	  .concern = "Police attended a reported argument at the address; no offences were disclosed. "
		"Antoni and his sister were asleep upstairs. Ms Kowalczyk said her partner had been drinking.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Kowalczyk agreed to the notification being shared.",
	  .checks = {
		{ "police", "complete", "shareable", "public-task",
		  "Standard risk; first call to this address." } },
	  .decision = { "early-help", "demo-sup", NULL, 0, 54, "csc,police",
		"Linked with the school's referral for Maja the next day; early help for the family.",
		"Thank you. The family have been offered early help.",
		{ { "Include Antoni in his sister's early help assessment", "Early Help Hub", 7 } } } },
	{ .child = C_KAI, .hours_ago = 150 * D, .category = "cce",
	  .source = "education", .rag = "green", .level = 2, .assigned = "demo-csc1",
	  .referrer = "Ian Shorrock", .referrer_role = "Inclusion officer",
	  .referrer_agency = "Kestrelford Council education service",
	  .referrer_contact = "01632 960644",
	  .concern = "Kai's attendance has dropped to 60% and he has been seen at the bus station in school hours with older teenagers from outside the school. "
		"His mother says he has become secretive and has new clothes she did not buy.",
	  .impact = "Kai is missing education and may be being groomed.",
	  .strengths = "Ms Thompson is worried and wants to work with the school.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Thompson agreed to the referral.",
	  .checks = {
		{ "education", "complete", "shareable", "consent",
		  "Attendance 60%; two suspensions." },
		{ "police", "nothing-known", "shareable", "public-task", NULL } },
	  .decision = { "early-help", "demo-csc1", NULL, 0, 46, "csc,education,police",
		"Early signs of possible exploitation with a protective parent; early help with the youth service's exploitation worker.",
		"Thank you. Early help and the youth service will work with Kai.",
		{ { "Refer Kai to the youth service exploitation worker", "Early Help Hub", 5 } } } },
	{ .child = C_KAI, .hours_ago = 21 * D, .category = "cce", .source = "police",
	  .rag = "amber", .level = 3, .assigned = "demo-csc2",
	  .referrer = "DC 3108 Hannah Greaves", .referrer_role = "Exploitation team",
	  .referrer_agency = "Kestrelford Police", .referrer_contact = "01632 960455",
	  .concern = "After being reported missing overnight, Kai was found by police in a car with two adults known for drug supply. "
		"He had £200 and a phone that was not his. He was taken home and refused a return interview.",
	  .impact = "Kai's risk of criminal exploitation has grown since early help began.",
	  .strengths = "Kai still goes to football training every week.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Thompson agreed to information being shared.",
	  .checks = {
		{ "police", "complete", "restricted", "public-task",
		  "The two adults are subjects of an investigation into drug supply. Restricted to the hub." },
		{ "csc", "complete", "shareable", "public-task",
		  "Early help open since the spring." },
		{ "education", "complete", "shareable", "public-task",
		  "Permanently excluded last month; place at the pupil referral unit from next week." } },
	  .decision = { "s17", "demo-sup", NULL, 0, 20, "csc,police,education",
		"Kai's exploitation risk has increased despite early help. A section 17 assessment with a social worker is needed, with a multi-agency exploitation meeting.",
		"Thank you. A social worker has been allocated and will contact you.",
		{ { "Allocate a social worker (Child in Need Team 2)", "demo-sup", 1 },
		  { "Arrange an exploitation risk meeting", "demo-csc2", 7 } } } },
	{ .child = C_MINH_ANH, .hours_ago = 44 * D, .category = "cse",
	  .source = "school", .rag = "amber", .level = 3, .assigned = "demo-csc1",
	  .referrer = "Catherine Moss", .referrer_role = "Designated safeguarding lead",
	  .referrer_agency = "Kestrelford Academy", .referrer_contact = "01632 960612",
	  .concern = "Minh Anh has been seen being collected from school by a man in his twenties in different cars. "
		"She has told friends he is her boyfriend and has missed several afternoons. Her parents did not know about him.",
	  .impact = "Minh Anh may be at risk of sexual exploitation.",
	  .strengths = "Minh Anh's parents are caring and were shocked and ready to help.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Her parents agreed, through a Vietnamese interpreter.",
	  .checks = {
		{ "education", "complete", "shareable", "consent",
		  "Attendance 88%; several unauthorised afternoons." },
		{ "police", "complete", "conditional", "public-task",
		  "One of the vehicles is linked to an adult of interest. For the social worker only." } },
	  .decision = { "s17", "demo-csc1", NULL, 0, 26, "csc,education,police",
		"Signs of possible sexual exploitation with protective parents; a section 17 assessment and safety plan.",
		"Thank you. A social worker will visit the family this week.",
		{ { "Child and family assessment and safety plan", "demo-csc1", 7 },
		  { "Refer to the exploitation worker", "demo-csc1", 5 } } } },
	{ .child = C_TOLULOPE, .hours_ago = 200 * D, .category = "neglect",
	  .source = "school", .rag = "green", .level = 1, .assigned = "demo-csc2",
	  .referrer = "Helen Aske", .referrer_role = "Designated safeguarding lead",
	  .referrer_agency = "Oldmoor Infant and Junior School",
	  .referrer_contact = "01632 960350",
	  .concern = "Tolulope's teacher noticed she had worn the same uniform all week and seemed hungry. "
		"Her mother explained the washing machine had broken and money was tight until payday.",
	  .strengths = "Ms Adeyemi was open and grateful for help.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Adeyemi agreed to the school asking for advice.",
	  .checks = {
		{ "education", "complete", "shareable", "consent",
		  "Attendance 97%; first concern logged." } },
	  .decision = { "advice", "demo-csc2", NULL, 0, 28, "csc,education",
		"A short-term money problem with a caring parent; advice and signposting to the food bank and uniform exchange.",
		"Thank you. The family have been signposted to local support.",
		{ { "Send the family food bank and uniform exchange details", "Helen Aske (school safeguarding lead)", 3 } } } },
	{ .child = C_HARVEY, .hours_ago = 60 * D, .category = "neglect",
	  .source = "health-visitor", .rag = "green", .level = 2, .assigned = "demo-csc1",
	  .referrer = "Marion Tebbutt", .referrer_role = "Health visitor",
	  .referrer_agency = "Kestrelford Community Health", .referrer_contact = "07700 900274",
	  .concern = "At Harvey's two-year review the health visitor found the flat cluttered, with unsafe items within reach, and Harvey's speech delayed. "
		"His mother said she was finding it hard to cope since Lily-Mae was born and has little support.",
	  .impact = "Harvey's speech and play are behind what is expected.",
	  .strengths = "Ms Foster asked for help and wants Harvey to start pre-school.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Foster agreed to the referral.",
	  .checks = {
		{ "health", "complete", "shareable", "consent",
		  "Speech delay; immunisations up to date for both children." },
		{ "csc", "nothing-known", "shareable", "public-task", NULL } },
	  .decision = { "early-help", "demo-csc1", NULL, 0, 44, "csc,health",
		"A young mother struggling with two small children and asking for help; early help with a funded pre-school place for Harvey.",
		"Thank you. An early help worker will visit and arrange a pre-school place.",
		{ { "Arrange a funded pre-school place for Harvey", "Early Help Hub", 14 } } } },
	{ .child = C_JAYDEN, .hours_ago = 95 * D, .category = "emotional",
	  .source = "school", .rag = "green", .level = 2, .assigned = "demo-csc2",
	  .referrer = "Owen Gale", .referrer_role = "Head of Year 9",
	  .referrer_agency = "Brackwater High School",
	  .referrer_contact = "o.gale@brackwater-high.example",
	  .concern = "Jayden was upset in class and told a teacher he worries about his mum, who is always stressed. "
		"He has been late most days this term.",
	  .strengths = "Jayden has good friends and enjoys basketball.",
	  .parents_aware = 1, .consent = "given",
	  .consent_reason = "Ms Hartley agreed to the school asking for advice.",
	  .checks = {
		{ "education", "complete", "shareable", "consent",
		  "Attendance 92%; lateness most days." } },
	  .decision = { "advice", "demo-csc2", NULL, 0, 30, "csc,education",
		"No evidence of harm; Ms Hartley was given advice about parenting support and the school will keep an eye on Jayden.",
		"Thank you. Advice given; please re-refer if things change.",
		{ { "Tell Ms Hartley about the parenting support group", "Brackwater High School pastoral lead", 5 } } } },
};
const unsigned gen_demo_nreferrals =
	sizeof gen_demo_referrals / sizeof gen_demo_referrals[0];
