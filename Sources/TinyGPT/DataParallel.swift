import Core
import NN

/// Data parallelism, the way PyTorch's `DistributedDataParallel` spreads one batch over
/// several GPUs — here over the cores of one machine: every replica holds the same weights,
/// each computes the gradient of its share of the batch, and the shares' gradients are
/// averaged before the one optimizer step.
///
/// ```
/// batch of B windows  →  replica r gets windows r·B/R ..< (r+1)·B/R        R = replicas
/// each replica:          loss_r, grad_r = forward + backward on its windows (one core each)
/// the model:             grad = (grad_0 + … + grad_{R−1}) / R,  loss = mean of loss_r
/// ```
///
/// The loss is a mean over positions and every share has as many positions, so the mean of
/// the shares' gradients is the gradient of the whole batch: the same step, computed in
/// another order — the sums over the batch are split in R and added at the end, so the
/// result differs from one replica's in the last float32 bits (for the same reason two GPUs
/// and one do). The order is fixed (replica 0 first), so a run is still deterministic.
///
/// Why it pays on a small model: a tiny model's matrix products are too small to split
/// well over cores (`KernelThreads` splits the large ones), but whole half-batches are
/// independent work, and each replica runs its kernels on one core without waiting.
public final class DataParallel {
    /// The model the optimizer updates; its gradients receive the average.
    public let model: TinyGPTModel
    /// Replicas 1 … R − 1 (replica 0 is `model` itself): weights copied from `model` before
    /// every step, gradients their own.
    private let others: [TinyGPTModel]
    /// The parameters of `model` and of each other replica, in the same order.
    private let parameters: [Parameter]
    private let otherParameters: [[Parameter]]

    /// `replicas` ways (at least 1; 1 is plain training on one replica).
    public init(_ model: TinyGPTModel, replicas: Int) {
        precondition(replicas >= 1, "DataParallel: \(replicas) replicas")
        self.model = model
        others = (1..<replicas).map { _ in model.copy() }
        parameters = model.parameters
        otherParameters = others.map(\.parameters)
    }

    public var replicas: Int { others.count + 1 }

    /// Zeroes the gradients, runs forward and backward on every replica's share of `batch`
    /// at once, leaves the average gradient in `model` and returns the mean loss. The batch
    /// size must divide by the number of replicas.
    public func lossAndGradients(_ batch: Corpus.Batch) -> Float {
        guard !others.isEmpty else { return model.lossAndGradients(batch) }
        precondition(batch.batchSize % replicas == 0,
                     "DataParallel: \(batch.batchSize) windows do not split \(replicas) ways")
        let share = batch.batchSize / replicas * batch.time
        for replica in otherParameters {
            for (copy, original) in zip(replica, parameters) { copy.value = original.value }
        }
        let all = [model] + others
        // Each job touches only its replica and its slice of the batch (inParallel's contract).
        let losses = try! inParallel(replicas) { r in  // the jobs cannot throw
            let range = (r * share)..<((r + 1) * share)
            return all[r].lossAndGradients(Corpus.Batch(
                batchSize: batch.batchSize / replicas, time: batch.time,
                inputs: Array(batch.inputs[range]), targets: Array(batch.targets[range])))
        }
        let scale = 1 / Float(replicas)
        for (p, parameter) in parameters.enumerated() where parameter.isTrainable {
            // Through buffer pointers: indexing `parameter.grad` (a class's array) element by
            // element pays an exclusivity check per access, a tenth of a step here.
            parameter.grad.withUnsafeMutableBufferPointer { sum in
                for replica in otherParameters {
                    replica[p].grad.withUnsafeBufferPointer { grad in
                        for i in sum.indices { sum[i] += grad[i] }
                    }
                }
                for i in sum.indices { sum[i] *= scale }
            }
        }
        return losses.reduce(0, +) * scale
    }
}
