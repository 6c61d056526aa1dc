// `exercise`: the learner's loop through the book's exercises.
//
//   exercise list                 every exercise in book order, with its status
//   exercise start ID | --all     save the solution, write the placeholder
//   exercise check ID             build in release, run that exercise's suite, print a verdict
//   exercise hint ID              what to read and the key idea
//   exercise reset ID | --all     put the solution back, byte for byte
//
// Run it as `scripts/exercise …` (which builds it first), or `swift run -c release exercise …`.
// EXERCISES.md is this catalogue printed by `exercise markdown`; a test keeps them equal.
import Foundation

ExerciseCommand.main()
