let chapter8Exercises: [Exercise] = []
