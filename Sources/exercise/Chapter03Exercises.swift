let chapter3Exercises: [Exercise] = []
