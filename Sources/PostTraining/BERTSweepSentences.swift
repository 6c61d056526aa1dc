/// The sentences Chapter 12's scheme sweep reads: our own text, written for this book, no
/// data set behind it. Three disjoint sets, so no scheme is scored on what it calibrated on:
///
/// - `calibration` (32): what GPTQ and AWQ see — each dense layer's input rows on these.
/// - `evaluation` (40): mean and minimum cosine of each scheme's embeddings to fp32's.
/// - `retrieval` (20 pairs): each query is scored against all 20 candidates; a scheme agrees
///   with fp32 on a query when the nearest candidate is the same one. A candidate paraphrases
///   its query, but some pairs share topic words with other pairs on purpose, so the nearest
///   candidate is not always obvious.
///
/// Topics mix everyday scenes, science, cooking, travel, sport and software, short and long,
/// with numbers, names and punctuation — the shapes a sentence encoder meets.
public enum BERTSweepSentences {

    public static let calibration: [String] = [
        "The morning train was late again, so she read the newspaper on the platform.",
        "Photosynthesis turns sunlight, water and carbon dioxide into sugar and oxygen.",
        "Add the onions to the hot pan and stir until they turn golden brown.",
        "Our flight to Lisbon leaves at 7:45 from gate 12.",
        "The goalkeeper saved a penalty in the last minute of the match.",
        "Restart the server after you change the configuration file.",
        "A small cat slept on the warm windowsill all afternoon.",
        "Interest rates rose for the third time this year.",
        "He planted tomatoes, beans and basil in the garden behind the house.",
        "The museum opens at ten and closes early on Sundays.",
        "Neural networks learn by adjusting their weights to reduce a loss.",
        "Please bring your passport and a printed copy of the booking.",
        "The river flooded the lower town after three days of heavy rain.",
        "She practised the violin for two hours before the concert.",
        "Compile the project in release mode before you measure its speed.",
        "The bakery on the corner sells fresh bread every morning.",
        "Volcanoes form where tectonic plates pull apart or collide.",
        "The children built a sandcastle and watched the tide wash it away.",
        "Our team shipped the new search feature on Friday.",
        "A cup of green tea has less caffeine than a cup of coffee.",
        "The marathon route follows the river through the old city.",
        "Grandma's recipe calls for butter, flour, sugar and two eggs.",
        "The telescope revealed thousands of galaxies in a tiny patch of sky.",
        "He forgot his umbrella and arrived at the office soaking wet.",
        "The library extended its opening hours during the exam period.",
        "Memory leaks make long-running programs slower over time.",
        "The hotel room had a balcony overlooking the harbour.",
        "Vaccines train the immune system to recognise a virus.",
        "The referee showed a red card after the second foul.",
        "Mix the dry ingredients first, then fold in the whipped cream.",
        "Electric cars are quieter than cars with petrol engines.",
        "The meeting was moved to Thursday because half the team was ill.",
    ]

    public static let evaluation: [String] = [
        "A man is playing a guitar on the street corner.",
        "The stock market fell sharply after the announcement.",
        "Boil the pasta for nine minutes, then drain it.",
        "The spacecraft entered orbit around Mars in 2021.",
        "My laptop battery dies after only two hours.",
        "The dog chased the ball across the muddy field.",
        "She won the chess tournament without losing a game.",
        "The bridge was closed for repairs all summer.",
        "Quantum computers use qubits instead of bits.",
        "We hiked to the top of the mountain before sunrise.",
        "The soup needs more salt and a little pepper.",
        "The new phone has a better camera but a smaller battery.",
        "Bees are essential for pollinating many crops.",
        "The orchestra played Beethoven's ninth symphony.",
        "The train to Berlin was cancelled because of the strike.",
        "Always back up your files before updating the system.",
        "A storm knocked out power across the whole region.",
        "The kids are learning to swim at the local pool.",
        "The restaurant serves the best dumplings in town.",
        "Glaciers are melting faster than scientists expected.",
        "He scored twice in the first half of the game.",
        "The app crashes whenever I open the settings page.",
        "They painted the kitchen a pale shade of yellow.",
        "The moon looked enormous as it rose over the hills.",
        "Reading before bed helps me fall asleep.",
        "The company hired fifty new engineers this spring.",
        "Fresh strawberries are sweetest in early June.",
        "The airport was crowded with holiday travellers.",
        "Exercise improves both mood and memory.",
        "The password must contain at least twelve characters.",
        "An old lighthouse stands at the end of the pier.",
        "The students protested against the higher tuition fees.",
        "Cheese, wine and bread: a simple French lunch.",
        "The algorithm sorts a million numbers in under a second.",
        "Snow fell all night and closed the schools.",
        "The cyclist crashed on the steep descent but was unhurt.",
        "Hello! How are you today?",
        "Dinosaurs lived millions of years before the first humans.",
        "The printer is out of ink again.",
        "Café au lait, s'il vous plaît — and a croissant.",
    ]

    /// (query, candidate) pairs: candidate i paraphrases query i.
    public static let retrieval: [(query: String, candidate: String)] = [
        ("How do I reset my password?", "Steps to recover access when you forget your login."),
        ("Where can I buy fresh fish?", "The harbour market sells the morning's catch."),
        (
            "What is the capital of France?",
            "Paris is the largest city and seat of government of France."),
        ("The football match ended in a draw.", "Neither team won; the score was one all."),
        ("My computer is running very slowly.", "The laptop takes ages to open any program."),
        (
            "How long should I bake the bread?",
            "Leave the loaf in the oven for about forty minutes."),
        ("Is it going to rain tomorrow?", "The forecast expects showers for the next day."),
        ("The cat is sleeping on the sofa.", "A kitten naps on the couch in the living room."),
        ("Why is the sky blue?", "Air scatters blue sunlight more than red sunlight."),
        (
            "I need a cheap hotel near the station.",
            "Budget rooms a short walk from the railway terminal."),
        ("The concert was sold out.", "There were no tickets left for the show."),
        ("How do plants make food?", "Leaves use light to build sugars from water and air."),
        ("The train was delayed by an hour.", "Our railway journey started sixty minutes late."),
        ("She is learning to play the piano.", "She takes keyboard lessons every week."),
        (
            "The program crashed with an error.",
            "The software stopped and showed a failure message."),
        ("What should I cook for dinner tonight?", "Ideas for an evening meal at home."),
        ("The team won the championship.", "They lifted the trophy after the final."),
        (
            "How far is the moon from the earth?",
            "The distance to our natural satellite is about 384,000 km."),
        ("The river burst its banks.", "Water from the stream flooded the fields nearby."),
        ("Coffee keeps me awake at night.", "Caffeine in the evening ruins my sleep."),
    ]
}
