let chapter7Exercises: [Exercise] = []
