/// `torch.topk(values, k, largest=True, sorted=True)` on the CPU, ties and all.
///
/// PyTorch documents no order for equal values. On the CPU the order is fixed by its kernel,
/// `topk_impl_loop` in `aten/src/ATen/native/TopKImpl.h`, which pairs every value with its
/// index and calls the C++ standard library:
///
/// ```
/// if k · 64 ≤ n:  std::partial_sort(q, q + k, q + n, greater)           (heap select + heap sort)
/// else:           std::nth_element(q, q + k − 1, q + n, greater)        (introselect)
///                 std::sort(q, q + k − 1, greater)                      (the first k − 1 only)
/// greater(a, b) = (isnan(a) && !isnan(b)) || a > b                       (NaN counts as largest)
/// ```
///
/// Linux wheels are built with GCC, so the order of ties is whatever libstdc++'s algorithms
/// leave: this file ports `__introselect`, `__unguarded_partition_pivot`, `__insertion_sort`,
/// `__heap_select` and `__introsort_loop` from libstdc++'s `bits/stl_algo.h` and
/// `bits/stl_heap.h`, step for step, on an array of (value, index) pairs. It reproduces
/// what PyTorch users have reported: `[-1, -1, -1, -1]` → index 2 (pytorch#88184),
/// `[-0.1944, -0.1944, -0.1945, -0.1945, -0.1945]` → index 1 (pytorch#133542), and
/// `[3, 2, 3, 2, 1, 1]`, k = 2 → indices 0, 2 (pytorch#127196). CUDA and MPS kernels break
/// ties differently again; only values, not the tie order, are portable.
///
/// You do not need to read this file to follow the chapter: `TopK.lowerIndexFirst` gives the
/// same answer whenever the values are distinct.
enum TorchCPUTopK {
    typealias Element = (value: Float, index: Int)

    static func indices(of values: [Float], k: Int) -> [Int] {
        guard k > 0 else { return [] }
        var q: [Element] = values.enumerated().map { ($0.element, $0.offset) }
        let n = q.count
        if k * 64 <= n {
            partialSort(&q, 0, k, n)
        } else {
            nthElement(&q, 0, k - 1, n)
            sort(&q, 0, k - 1)
        }
        return q.prefix(k).map(\.index)
    }

    /// The comparison every algorithm below uses: "a goes before b".
    @inline(__always)
    static func comp(_ a: Element, _ b: Element) -> Bool { TopK.isGreater(a.value, b.value) }

    /// ⌊log₂ n⌋ (libstdc++'s `std::__lg`).
    static func lg(_ n: Int) -> Int { Int.bitWidth - 1 - n.leadingZeroBitCount }

    // MARK: std::nth_element → __introselect

    static func nthElement(_ q: inout [Element], _ first: Int, _ nth: Int, _ last: Int) {
        guard first != last, nth != last else { return }
        var first = first
        var last = last
        var depthLimit = lg(last - first) * 2
        while last - first > 3 {
            if depthLimit == 0 {
                heapSelect(&q, first, nth + 1, last)
                q.swapAt(first, nth)  // the nth element into its final place
                return
            }
            depthLimit -= 1
            let cut = unguardedPartitionPivot(&q, first, last)
            if cut <= nth { first = cut } else { last = cut }
        }
        insertionSort(&q, first, last)
    }

    /// Median of (first + 1, middle, last − 1) moved to `first`, then a Hoare partition.
    static func unguardedPartitionPivot(_ q: inout [Element], _ first: Int, _ last: Int) -> Int {
        let mid = first + (last - first) / 2
        moveMedianToFirst(&q, first, first + 1, mid, last - 1)
        return unguardedPartition(&q, first + 1, last, pivot: first)
    }

    static func moveMedianToFirst(_ q: inout [Element], _ result: Int, _ a: Int, _ b: Int, _ c: Int) {
        if comp(q[a], q[b]) {
            if comp(q[b], q[c]) {
                q.swapAt(result, b)
            } else if comp(q[a], q[c]) {
                q.swapAt(result, c)
            } else {
                q.swapAt(result, a)
            }
        } else if comp(q[a], q[c]) {
            q.swapAt(result, a)
        } else if comp(q[b], q[c]) {
            q.swapAt(result, c)
        } else {
            q.swapAt(result, b)
        }
    }

    static func unguardedPartition(_ q: inout [Element], _ first: Int, _ last: Int, pivot: Int) -> Int {
        var first = first
        var last = last
        while true {
            while comp(q[first], q[pivot]) { first += 1 }
            last -= 1
            while comp(q[pivot], q[last]) { last -= 1 }
            if !(first < last) { return first }
            q.swapAt(first, last)
            first += 1
        }
    }

    static func insertionSort(_ q: inout [Element], _ first: Int, _ last: Int) {
        guard first != last else { return }
        var i = first + 1
        while i < last {
            let value = q[i]
            if comp(value, q[first]) {
                // Smaller than nothing before it: shift [first, i) right by one.
                var j = i
                while j > first {
                    q[j] = q[j - 1]
                    j -= 1
                }
                q[first] = value
            } else {
                unguardedLinearInsert(&q, i)
            }
            i += 1
        }
    }

    static func unguardedLinearInsert(_ q: inout [Element], _ last: Int) {
        let value = q[last]
        var hole = last
        while comp(value, q[hole - 1]) {
            q[hole] = q[hole - 1]
            hole -= 1
        }
        q[hole] = value
    }

    // MARK: std::sort → __introsort_loop + __final_insertion_sort (threshold 16)

    static func sort(_ q: inout [Element], _ first: Int, _ last: Int) {
        guard first != last else { return }
        introsortLoop(&q, first, last, depthLimit: lg(last - first) * 2)
        if last - first > 16 {
            insertionSort(&q, first, first + 16)
            for i in (first + 16)..<last { unguardedLinearInsert(&q, i) }
        } else {
            insertionSort(&q, first, last)
        }
    }

    static func introsortLoop(_ q: inout [Element], _ first: Int, _ last: Int, depthLimit: Int) {
        var last = last
        var depthLimit = depthLimit
        while last - first > 16 {
            if depthLimit == 0 {
                partialSort(&q, first, last, last)
                return
            }
            depthLimit -= 1
            let cut = unguardedPartitionPivot(&q, first, last)
            introsortLoop(&q, cut, last, depthLimit: depthLimit)
            last = cut
        }
    }

    // MARK: std::partial_sort → __heap_select + __sort_heap (bits/stl_heap.h)

    static func partialSort(_ q: inout [Element], _ first: Int, _ middle: Int, _ last: Int) {
        heapSelect(&q, first, middle, last)
        var end = middle
        while end - first > 1 {
            end -= 1
            popHeap(&q, first, end, result: end)
        }
    }

    static func heapSelect(_ q: inout [Element], _ first: Int, _ middle: Int, _ last: Int) {
        makeHeap(&q, first, middle)
        for i in middle..<last where comp(q[i], q[first]) {
            popHeap(&q, first, middle, result: i)
        }
    }

    static func makeHeap(_ q: inout [Element], _ first: Int, _ last: Int) {
        let len = last - first
        guard len >= 2 else { return }
        var parent = (len - 2) / 2
        while true {
            adjustHeap(&q, first, hole: parent, len: len, value: q[first + parent])
            if parent == 0 { return }
            parent -= 1
        }
    }

    static func popHeap(_ q: inout [Element], _ first: Int, _ last: Int, result: Int) {
        let value = q[result]
        q[result] = q[first]
        adjustHeap(&q, first, hole: 0, len: last - first, value: value)
    }

    static func adjustHeap(_ q: inout [Element], _ first: Int, hole: Int, len: Int, value: Element) {
        let top = hole
        var hole = hole
        var child = hole
        while child < (len - 1) / 2 {
            child = 2 * (child + 1)
            if comp(q[first + child], q[first + child - 1]) { child -= 1 }
            q[first + hole] = q[first + child]
            hole = child
        }
        if len & 1 == 0 && child == (len - 2) / 2 {
            child = 2 * (child + 1)
            q[first + hole] = q[first + child - 1]
            hole = child - 1
        }
        // __push_heap: move the value up from the hole towards `top`.
        var parent = (hole - 1) / 2
        while hole > top && comp(q[first + parent], value) {
            q[first + hole] = q[first + parent]
            hole = parent
            parent = (hole - 1) / 2
        }
        q[first + hole] = value
    }
}
