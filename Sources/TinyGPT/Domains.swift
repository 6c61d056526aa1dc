/// The two text domains of Chapters 6 and 7, written over the same alphabet
/// (`CharacterVocabulary.standard`) with different grammars: the base model learns `fables`,
/// and fine-tuning moves it to `diary`.
///
/// ```
/// fables:  the little fox sees a mouse. one day the goat helps the duck, but the bear sleeps.
/// diary:   yesterday i fed the duck by the river. then the big fox chased my cat, so i walked home.
/// ```
///
/// They share the animals, adjectives and function words; the diary adds a narrator ("i"),
/// past-tense verbs, time words and places. So the base model is a good start for the new
/// domain (its loss there begins near 3 nats per character, not at the 5 or more of an
/// unrelated text) but has real things to learn — the kind of shift LoRA is meant for. The
/// weights are made up, skewed as word frequencies are (a few common words, a tail of rare
/// ones); the chapters print the entropy rates that follow from them. Every noun and
/// adjective starts with a consonant, so "a" never needs to become "an".
extension ProbabilisticGrammar {
    /// Animal fables: determiner, optional adjective, noun, verb, and an object or an ending.
    public static let fables = ProbabilisticGrammar(
        name: "fables", start: "sentence",
        states: [
            "sentence": [
                Choices(["the ": 6, "a ": 3], then: "subject"),
                Choices(["one day the ": 1, "then the ": 1], then: "subject"),
            ],
            "subject": [
                Choices(["little ": 1.5, "big ": 1, "red ": 0.5, "happy ": 0.5], then: "noun"),
                Choices(animals, then: "verb"),
            ],
            "noun": [Choices(animals, then: "verb")],
            "verb": [
                Choices(["sees ": 3, "likes ": 2, "chases ": 1.5, "finds ": 1, "helps ": 1, "follows ": 1],
                        then: "object"),
                Choices(["sleeps. ": 1, "runs away. ": 1, "sings. ": 0.5], then: "sentence"),
            ],
            "object": [Choices(["the ": 5, "a ": 3, "his ": 1, "her ": 1], then: "objectNoun")],
            "objectNoun": [
                Choices(animalsEnding(". "), then: "sentence"),
                Choices(animalsEnding(", ", weight: 0.4), then: "conjunction"),
            ],
            "conjunction": [Choices(["and ": 2, "but ": 1, "so ": 1], then: "sentence")],
        ])

    /// Diary entries in the past tense: the same animals and adjectives as `fables`, a
    /// narrator ("i"), past-tense verbs and places.
    public static let diary = ProbabilisticGrammar(
        name: "diary", start: "entry",
        states: [
            "entry": [
                Choices(["today ": 2, "yesterday ": 1.5, "then ": 1.5, "later ": 1], then: "clause"),
                Choices(["i ": 2], then: "myVerb"),
                Choices(["the ": 2, "a ": 1], then: "subject"),
            ],
            "clause": [
                Choices(["i ": 3], then: "myVerb"),
                Choices(["the ": 4, "a ": 2], then: "subject"),
            ],
            "myVerb": [
                Choices(["saw ": 3, "fed ": 2, "met ": 1.5, "followed ": 1, "helped ": 1], then: "object"),
                Choices(["walked home. ": 1, "sat down. ": 1], then: "entry"),
            ],
            "subject": [
                Choices(["little ": 1.5, "big ": 1, "red ": 0.5, "happy ": 0.5], then: "noun"),
                Choices(animals, then: "verb"),
            ],
            "noun": [Choices(animals, then: "verb")],
            "verb": [
                Choices(["chased ": 2, "found ": 1.5, "liked ": 1.5, "watched ": 1], then: "object"),
                Choices(["slept. ": 1, "ran away. ": 1, "sang. ": 0.5], then: "entry"),
            ],
            "object": [Choices(["the ": 5, "a ": 3, "my ": 2], then: "objectNoun")],
            "objectNoun": [
                Choices(animalsEnding(". "), then: "entry"),
                Choices(animalsEnding(" ", weight: 0.5), then: "place"),
                Choices(animalsEnding(", ", weight: 0.3), then: "conjunction"),
            ],
            "place": [
                Choices(["by the river. ": 2, "in the garden. ": 2, "near the barn. ": 1, "under a tree. ": 1],
                        then: "entry")
            ],
            "conjunction": [Choices(["and ": 2, "so ": 1, "but ": 1], then: "clause")],
        ])

    static let animals: KeyValuePairs<String, Double> = [
        "cat ": 4, "dog ": 4, "fox ": 3, "bird ": 3, "mouse ": 2, "rabbit ": 2, "frog ": 1.5, "bear ": 1.5,
        "goat ": 1, "duck ": 1,
    ]

    /// The animals with their trailing space replaced by `ending`, weights scaled by `weight`.
    static func animalsEnding(_ ending: String, weight: Double = 1) -> [(String, Double)] {
        animals.map { (String($0.key.dropLast()) + ending, $0.value * weight) }
    }
}
