print("Chapter 1")
