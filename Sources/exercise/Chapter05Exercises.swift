let chapter5Exercises: [Exercise] = []
