/*
 * The stopword lists, by language: data, kept apart from the analyzer
 * that folds and sorts them (analyzer.c).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "analysis/stopwords.h"

/* Stopword lists: function words only (articles, pronouns, auxiliaries,
 * prepositions, conjunctions), after Snowball's lists, so that no word that
 * can carry the meaning of a news query ("us", "will", "may") is lost.
 * Each analyzer folds and sorts its copy, so the lists need no order. */
static const char *const STOP_EN[] = {
    "a", "about", "above", "after", "again", "against", "all", "am", "an",
    "and", "any", "are", "as", "at", "be", "because", "been", "before",
    "being", "below", "between", "both", "but", "by", "did", "do", "does",
    "doing", "down", "during", "each", "few", "for", "from", "further",
    "had", "has", "have", "having", "he", "her", "here", "hers", "herself",
    "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it",
    "its", "itself", "me", "more", "most", "my", "myself", "no", "nor",
    "not", "of", "off", "on", "once", "only", "or", "other", "our", "ours",
    "ourselves", "out", "over", "own", "same", "she", "should", "so",
    "some", "such", "than", "that", "the", "their", "theirs", "them",
    "themselves", "then", "there", "these", "they", "this", "those",
    "through", "to", "too", "under", "until", "up", "very", "was", "we",
    "were", "what", "when", "where", "which", "while", "who", "whom", "why",
    "with", "you", "your", "yours", "yourself", "yourselves"};

static const char *const STOP_FR[] = {
    "ai", "aie", "aient", "aies", "ait", "as", "au", "aura", "aurai",
    "auraient", "aurais", "aurait", "auras", "aurez", "auriez", "aurions",
    "aurons", "auront", "aux", "avaient", "avais", "avait", "avec", "avez",
    "aviez", "avions", "avons", "ayant", "ayez", "ayons", "c", "ce", "ceci",
    "cela", "celà", "ces", "cet", "cette", "d", "dans", "de", "des", "du",
    "elle", "en", "es", "est", "et", "eu", "eue", "eues", "eurent", "eus",
    "eusse", "eussent", "eusses", "eussiez", "eussions", "eut", "eux",
    "eûmes", "eût", "eûtes", "furent", "fus", "fusse", "fussent", "fusses",
    "fussiez", "fussions", "fut", "fûmes", "fût", "fûtes", "ici", "il", "ils",
    "j", "je", "l", "la", "le", "les", "leur", "leurs", "lui", "m", "ma",
    "mais", "me", "mes", "moi", "mon", "même", "n", "ne", "nos", "notre",
    "nous", "on", "ont", "ou", "où", "par", "pas", "pour", "qu", "que",
    "quel", "quelle", "quelles", "quels", "qui", "s", "sa", "sans", "se",
    "sera", "serai", "seraient", "serais", "serait", "seras", "serez",
    "seriez", "serions", "serons", "seront", "ses", "soi", "soient", "sois",
    "soit", "sommes", "son", "sont", "soyez", "soyons", "suis", "sur", "t",
    "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre",
    "vous", "y", "à", "étaient", "étais", "était", "étant", "étiez", "étions",
    "été", "étée", "étées", "étés", "êtes"};

static const char *const STOP_GE[] = {
    "aber", "alle", "allem", "allen", "aller", "alles", "als", "also", "am",
    "an", "ander", "andere", "anderem", "anderen", "anderer", "anderes",
    "anderm", "andern", "anderr", "anders", "auch", "auf", "aus", "bei",
    "bin", "bis", "bist", "da", "damit", "dann", "das", "dass", "dasselbe",
    "dazu", "daß", "dein", "deine", "deinem", "deinen", "deiner", "deines",
    "dem", "demselben", "den", "denn", "denselben", "der", "derer",
    "derselbe", "derselben", "des", "desselben", "dessen", "dich", "die",
    "dies", "diese", "dieselbe", "dieselben", "diesem", "diesen", "dieser",
    "dieses", "dir", "doch", "dort", "du", "durch", "ein", "eine", "einem",
    "einen", "einer", "eines", "einig", "einige", "einigem", "einigen",
    "einiger", "einiges", "einmal", "er", "es", "etwas", "euch", "euer",
    "eure", "eurem", "euren", "eurer", "eures", "für", "gegen", "gewesen",
    "hab", "habe", "haben", "hat", "hatte", "hatten", "hier", "hin", "hinter",
    "ich", "ihm", "ihn", "ihnen", "ihr", "ihre", "ihrem", "ihren", "ihrer",
    "ihres", "im", "in", "indem", "ins", "ist", "jede", "jedem", "jeden",
    "jeder", "jedes", "jene", "jenem", "jenen", "jener", "jenes", "jetzt",
    "kann", "kein", "keine", "keinem", "keinen", "keiner", "keines", "können",
    "könnte", "machen", "man", "manche", "manchem", "manchen", "mancher",
    "manches", "mein", "meine", "meinem", "meinen", "meiner", "meines",
    "mich", "mir", "mit", "muss", "musste", "nach", "nicht", "nichts", "noch",
    "nun", "nur", "ob", "oder", "ohne", "sehr", "sein", "seine", "seinem",
    "seinen", "seiner", "seines", "selbst", "sich", "sie", "sind", "so",
    "solche", "solchem", "solchen", "solcher", "solches", "soll", "sollte",
    "sondern", "sonst", "um", "und", "uns", "unser", "unsere", "unserem",
    "unseren", "unseres", "unter", "viel", "vom", "von", "vor", "war",
    "waren", "warst", "was", "weg", "weil", "weiter", "welche", "welchem",
    "welchen", "welcher", "welches", "wenn", "werde", "werden", "wie",
    "wieder", "will", "wir", "wird", "wirst", "wo", "wollen", "wollte",
    "während", "würde", "würden", "zu", "zum", "zur", "zwar", "zwischen",
    "über"};

static const char *const STOP_SP[] = {
    "a", "al", "algo", "algunas", "algunos", "ante", "antes", "como", "con",
    "contra", "cual", "cuando", "de", "del", "desde", "donde", "durante", "e",
    "el", "ella", "ellas", "ellos", "en", "entre", "era", "eran", "es", "esa",
    "esas", "ese", "eso", "esos", "esta", "estamos", "estar", "estas", "este",
    "esto", "estos", "estoy", "está", "estáis", "están", "estás", "fue", "ha",
    "habéis", "había", "han", "has", "hasta", "hay", "he", "hemos", "la",
    "las", "le", "les", "lo", "los", "me", "mi", "mis", "mucho", "muchos",
    "muy", "más", "mí", "mía", "mías", "mío", "míos", "nada", "ni", "no",
    "nos", "nosotras", "nosotros", "nuestra", "nuestras", "nuestro",
    "nuestros", "o", "os", "otra", "otras", "otro", "otros", "para", "pero",
    "poco", "por", "porque", "que", "quien", "quienes", "qué", "se", "sin",
    "sobre", "son", "su", "sus", "suya", "suyas", "suyo", "suyos", "sí",
    "también", "tanto", "te", "ti", "todo", "todos", "tu", "tus", "tuya",
    "tuyas", "tuyo", "tuyos", "tú", "un", "una", "uno", "unos", "vosotras",
    "vosotros", "vuestra", "vuestras", "vuestro", "vuestros", "y", "ya", "yo",
    "él"};

static const char *const STOP_IT[] = {
    "a", "abbiamo", "ad", "agl", "agli", "ai", "al", "all", "alla", "alle",
    "allo", "anche", "avete", "c", "che", "chi", "ci", "coi", "col", "come",
    "con", "contro", "cui", "da", "dagl", "dagli", "dai", "dal", "dall",
    "dalla", "dalle", "dallo", "degl", "degli", "dei", "del", "dell", "della",
    "delle", "dello", "di", "dov", "dove", "e", "ed", "era", "erano", "fu",
    "furono", "gli", "ha", "hai", "hanno", "ho", "i", "il", "in", "io", "l",
    "la", "le", "lei", "li", "lo", "loro", "lui", "ma", "mi", "mia", "mie",
    "miei", "mio", "ne", "negl", "negli", "nei", "nel", "nell", "nella",
    "nelle", "nello", "noi", "non", "nostra", "nostre", "nostri", "nostro",
    "o", "per", "perché", "più", "quale", "quanta", "quante", "quanti",
    "quanto", "quella", "quelle", "quelli", "quello", "questa", "queste",
    "questi", "questo", "se", "sei", "si", "siamo", "siete", "sono", "su",
    "sua", "sue", "sugl", "sugli", "sui", "sul", "sull", "sulla", "sulle",
    "sullo", "suo", "suoi", "ti", "tra", "tu", "tua", "tue", "tuo", "tuoi",
    "tutti", "tutto", "un", "una", "uno", "vi", "voi", "vostra", "vostre",
    "vostri", "vostro", "è"};

static const char *const STOP_PO[] = {
    "a", "ao", "aos", "aquela", "aquelas", "aquele", "aqueles", "aquilo",
    "as", "até", "com", "como", "da", "das", "de", "dela", "delas", "dele",
    "deles", "depois", "do", "dos", "e", "ela", "elas", "ele", "eles", "em",
    "entre", "era", "essa", "essas", "esse", "esses", "esta", "estas", "este",
    "estes", "eu", "foi", "há", "isso", "isto", "já", "lhe", "lhes", "mais",
    "mas", "me", "mesmo", "meu", "meus", "minha", "minhas", "muito", "na",
    "nas", "nem", "no", "nos", "nossa", "nossas", "nosso", "nossos", "num",
    "numa", "não", "nós", "o", "os", "ou", "para", "pela", "pelas", "pelo",
    "pelos", "por", "qual", "quando", "que", "quem", "se", "sem", "ser",
    "seu", "seus", "sua", "suas", "são", "só", "também", "te", "teu", "teus",
    "tu", "tua", "tuas", "um", "uma", "você", "vocês", "vos", "à", "às", "é"};

static const char *const STOP_DU[] = {
    "aan", "al", "alles", "als", "altijd", "andere", "ben", "bij", "daar",
    "dan", "dat", "de", "der", "deze", "die", "dit", "doch", "doen", "door",
    "dus", "een", "eens", "en", "er", "ge", "geen", "geweest", "haar", "had",
    "heb", "hebben", "heeft", "hem", "het", "hier", "hij", "hoe", "hun",
    "iemand", "iets", "ik", "in", "is", "ja", "je", "kan", "kon", "kunnen",
    "maar", "me", "meer", "men", "met", "mij", "mijn", "moet", "na", "naar",
    "niet", "niets", "nog", "nu", "of", "om", "omdat", "onder", "ons", "ook",
    "op", "over", "reeds", "te", "tegen", "toch", "toen", "tot", "u", "uit",
    "uw", "van", "veel", "voor", "want", "waren", "was", "wat", "werd",
    "wezen", "wie", "wil", "worden", "wordt", "zal", "ze", "zelf", "zich",
    "zij", "zijn", "zo", "zonder", "zou"};

static const char *const STOP_RU[] = {
    "а", "без", "более", "больше", "будет", "будто", "бы", "был", "была",
    "были", "было", "быть", "в", "вам", "вас", "вдруг", "ведь", "во", "вот",
    "впрочем", "все", "всегда", "всего", "всех", "всю", "вы", "где", "да",
    "даже", "два", "для", "до", "другой", "его", "ее", "ей", "ему", "если",
    "есть", "еще", "ж", "же", "за", "зачем", "здесь", "и", "из", "или", "им",
    "иногда", "их", "к", "как", "какая", "какой", "когда", "конечно", "кто",
    "куда", "ли", "лучше", "между", "меня", "мне", "много", "может", "можно",
    "мой", "моя", "мы", "на", "над", "надо", "наконец", "нас", "не", "него",
    "нее", "ней", "нельзя", "нет", "ни", "нибудь", "никогда", "ним", "них",
    "ничего", "но", "ну", "о", "об", "один", "он", "она", "они", "опять",
    "от", "перед", "по", "под", "после", "потом", "потому", "почти", "при",
    "про", "раз", "разве", "с", "сам", "свою", "себе", "себя", "сейчас", "со",
    "совсем", "так", "такой", "там", "тебя", "тем", "теперь", "то", "тогда",
    "того", "тоже", "только", "том", "тот", "три", "тут", "ты", "у", "уж",
    "уже", "хорошо", "хоть", "чего", "чем", "через", "что", "чтоб", "чтобы",
    "чуть", "эти", "этого", "этой", "этом", "этот", "эту", "я"};

static const struct {
    const char *language, *code;
    const char *const *words;
    size_t n;
} STOPLISTS[] = {
#define LIST(lang, code, arr) {lang, code, arr, sizeof arr / sizeof arr[0]}
    LIST("english", "en", STOP_EN),    LIST("french", "fr", STOP_FR),
    LIST("german", "de", STOP_GE),     LIST("spanish", "es", STOP_SP),
    LIST("italian", "it", STOP_IT),    LIST("portuguese", "pt", STOP_PO),
    LIST("dutch", "nl", STOP_DU),      LIST("russian", "ru", STOP_RU),
#undef LIST
};

const char *const *bl_stoplist(const char *language, size_t *n)
{
    for (size_t i = 0; i < sizeof STOPLISTS / sizeof STOPLISTS[0]; i++) {
        if (strcmp(language, STOPLISTS[i].language) == 0 ||
            strcmp(language, STOPLISTS[i].code) == 0) {
            *n = STOPLISTS[i].n;
            return STOPLISTS[i].words;
        }
    }
    *n = 0;
    return NULL;
}
