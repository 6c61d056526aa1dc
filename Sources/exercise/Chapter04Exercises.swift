let chapter4Exercises: [Exercise] = []
