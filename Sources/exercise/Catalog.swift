/// Every exercise of the book, in the order a reader meets them. Each chapter's entries live
/// in their own file (`Chapter01Exercises.swift`, …) beside this one.
let catalog: [Exercise] =
    chapter1Exercises + chapter2Exercises + chapter3Exercises + chapter4Exercises
    + chapter5Exercises + chapter6Exercises + chapter7Exercises + chapter8Exercises
