import Core
import NN
import Testing
import TinyGPT

/// `FineTuneRecipe`: the one fine-tuning recipe Chapters 6 and 7 share.
@Suite struct FineTuneRecipeTests {

    /// `fineTune` is `Trainer.train` with the recipe's steps, batch size and a fresh
    /// `SeededRNG(seed: batchSeed)`: the same losses, bit for bit, as calling the loop by hand.
    @Test func fineTuneIsTheTrainingLoopWithTheRecipesSeedsAndSizes() {
        let recipe = FineTuneRecipe(steps: 6, batchSize: 3, fullLearningRate: 0.3, adapterLearningRate: 0.5,
                                    adapterSeed: 5, batchSeed: 9)
        let corpus = Corpus(grammar: .diary, characters: 3_000, seed: 44)
        let base = tinyModel(seed: 46)

        let viaRecipe = recipe.freshCopy(of: base)
        let sgd1 = PlainSGD(viaRecipe.parameters, learningRate: Float(recipe.learningRate(adapters: false)))
        let run = recipe.fineTune(viaRecipe, on: corpus) { sgd1.step() }

        let byHand = recipe.freshCopy(of: base)
        let sgd2 = PlainSGD(byHand.parameters, learningRate: 0.3)
        var batches = SeededRNG(seed: 9)
        let reference = Trainer.train(byHand, on: corpus, steps: 6, batchSize: 3, rng: &batches) { sgd2.step() }

        #expect(run.losses.count == 6 && run.tokens == 6 * 3 * base.config.contextLength)
        #expect(run.losses == reference.losses, "recipe \(run.losses) vs by hand \(reference.losses)")
        // Training the copies left the base untouched.
        #expect(zip(base.parameters, tinyModel(seed: 46).parameters).allSatisfy { $0.value == $1.value })
    }

    /// A fresh copy holds the base's weights bit for bit, every one trainable, in new storage.
    @Test func freshCopyIsTheBaseBitForBit() {
        let base = tinyModel(seed: 47)
        base.parameters[0].isTrainable = false
        let copy = FineTuneRecipe.chapters6And7.freshCopy(of: base)
        #expect(copy.parameters.map(\.name) == base.parameters.map(\.name))
        #expect(zip(copy.parameters, base.parameters).allSatisfy { $0.value.map(\.bitPattern) == $1.value.map(\.bitPattern) })
        #expect(copy.parameters.allSatisfy { $0.isTrainable })
        copy.parameters[0].value[0] += 1
        #expect(copy.parameters[0].value[0] != base.parameters[0].value[0])
    }

    /// Replicas move both seeds and nothing else; replica 0 is the recipe; two replicas draw
    /// different batches (their first losses differ on the same model).
    @Test func replicasChangeOnlyTheSeeds() {
        let recipe = FineTuneRecipe.chapters6And7
        #expect(recipe.replica(0) == recipe)
        let r2 = recipe.replica(2)
        #expect(r2.adapterSeed == recipe.adapterSeed + 2000 && r2.batchSeed == recipe.batchSeed + 2000)
        #expect(r2.steps == recipe.steps && r2.batchSize == recipe.batchSize
            && r2.fullLearningRate == recipe.fullLearningRate && r2.adapterLearningRate == recipe.adapterLearningRate)
        let corpus = Corpus(grammar: .fables, characters: 3_000, seed: 48)
        let base = tinyModel(seed: 49)
        func firstLoss(_ r: FineTuneRecipe) -> Float {
            var short = r
            short.steps = 1
            short.batchSize = 2
            return short.fineTune(short.freshCopy(of: base), on: corpus) {}.losses[0]
        }
        #expect(firstLoss(recipe) != firstLoss(recipe.replica(1)))
        var fromRecipe = recipe.adapterRNG(), direct = SeededRNG(seed: recipe.adapterSeed)
        #expect(fromRecipe.next() == direct.next())
    }
}
