let chapter2Exercises: [Exercise] = []
