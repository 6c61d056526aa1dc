let chapter6Exercises: [Exercise] = []
