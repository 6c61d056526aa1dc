import Book
import GPTQ

/// 9.5: the blocked form (lazy batch updates), why it depends on the block size once groups
/// are refitted inside a block, and act-order.
func lazyBatchSection(_ book: Notebook, study: LayerStudy, setup: GPTQSetup) {
    book.section("9.5", "Lazy batches, groups and act-order")
    book.say(
        """
        Algorithm 1 updates all later columns after every column: rows x n^2 / 2 scattered
        updates, memory-bound. §4 Step 2 defers them: columns go in blocks of B (blocksize,
        128); inside a block the feedback reaches the block's own columns only, and at the
        block's end its errors reach every later column in one matrix product,
        W[:, i2:] -= Err x U[i1:i2, i2:]. The same products, summed in another order. The
        reference keeps one detail that changes results: with groups, a group's grid is fitted
        when its first column comes up, on the global W — which receives the deferred updates
        only at block ends. A group that starts inside a block is fitted on weights that lack
        the feedback of the block's earlier columns. GPTQ.quantize (blocked) against
        GPTQ.quantizeColumnByColumn (Algorithm 1), 4 bits, on \(study.name):
        """)
    var rows: [[String]] = []
    var agree: [String: Int] = [:]
    var errors: [String: Double] = [:]
    for group in [nil, setup.groupSize] as [Int?] {
        let readable = book.attempt("GPTQ") {
            try GPTQ.quantizeColumnByColumn(
                weight: study.w, rows: study.out, columns: study.n, hessian: study.h,
                configuration: GPTQConfiguration(bits: 4, groupSize: group, blockSize: study.n))
        }
        errors["\(group ?? 0)/readable"] = study.error(readable.dequantized)
        rows.append([
            group.map { "g\($0)" } ?? "per row", "Algorithm 1", "-",
            Fmt.e(study.error(readable.dequantized), 4),
        ])
        for blockSize in [16, 32, 64, 128, 256] {
            let blocked = book.attempt("GPTQ") {
                try study.gptq(GPTQConfiguration(bits: 4, groupSize: group, blockSize: blockSize))
            }
            let differing = zip(blocked.codes, readable.codes).filter { $0 != $1 }.count
            agree["\(group ?? 0)/\(blockSize)"] = differing
            errors["\(group ?? 0)/\(blockSize)"] = study.error(blocked.dequantized)
            rows.append([
                group.map { "g\($0)" } ?? "per row", "blocks of \(blockSize)", "\(differing)",
                Fmt.e(study.error(blocked.dequantized), 4),
            ])
        }
    }
    book.table(["grid", "path", "codes unlike Algorithm 1", "||XW^T - XQ^T||^2"], rows)
    print()
    let g = setup.groupSize
    book.check(agree["0/\(study.n)"] == 0, "per row, one block is Algorithm 1 exactly")
    book.check(
        agree["\(g)/128"]! > agree["\(g)/\(g)"]!, "groups starting inside a block change codes")
    let growth = errors["\(g)/128"]! / errors["\(g)/readable"]! - 1
    let direction = growth >= 0 ? "larger" : "smaller"
    book.say(
        """
        Per row, one block holding all \(study.n) columns is Algorithm 1 bit for bit
        (checked), and more blocks only reorder sums: \(agree["0/128"]!) of
        \(Fmt.grouped(study.w.count)) codes change with blocks of 128. With groups of \(g),
        blocks of 16 and \(g) start every group at a block boundary, so every grid is fitted on
        corrected weights, as in Algorithm 1 (\(agree["\(g)/16"]!) and \(agree["\(g)/\(g)"]!)
        codes differ). Blocks of 64, 128 and 256 start groups inside a block, whose grids
        are fitted on weights still missing part of the feedback:
        \(agree["\(g)/64"]!), \(agree["\(g)/128"]!) and \(agree["\(g)/256"]!) codes change
        (checked), and with the reference's default of 128 the layer's error is
        \(Fmt.percent(abs(growth), 1)) \(direction) than Algorithm 1's. Both are GPTQ, but a
        port that wants the reference's numbers must keep its block size and this order (the
        reference cases w4_g32 and w4_g32_bs16 in Tests/GPTQTests pin both).
        """)
    let actOrder = book.attempt("GPTQ") {
        try study.gptq(setup.configuration(bits: 4, groups: true, actOrder: true))
    }
    let plain = book.attempt("GPTQ") {
        try study.gptq(setup.configuration(bits: 4, groups: true, actOrder: false))
    }
    let firstGroups = actOrder.gIdx.prefix(16).map(String.init).joined(separator: " ")
    book.say(
        """
        Act-order (the reference's --act-order, GPTQModel's desc_act) quantizes the columns in
        order of decreasing diag(H): the inputs the data uses most go first, while the most
        weights are left to absorb their error. The permutation is undone at the end. Here
        the first five columns processed are \(actOrder.perm.prefix(5).map(String.init)
        .joined(separator: ", ")). With groups, a group is a run of
        \(g) columns in processing order, so an input column's group (g_idx) is no longer
        column / \(g): the first 16 columns of \(study.name) belong to groups \(firstGroups).
        A checkpoint must store g_idx (9.7). On this layer act-order moves the 4-bit g\(g)
        error from \(Fmt.e(study.error(plain.dequantized), 3)) to
        \(Fmt.e(study.error(actOrder.dequantized), 3)).
        """)
}
