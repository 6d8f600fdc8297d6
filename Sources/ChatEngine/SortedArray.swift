extension Array where Element: Comparable {
    /// The index where `element` is or would be inserted, keeping the array ascending.
    func sortedIndex(of element: Element) -> (index: Int, found: Bool) {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < element {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return (low, low < count && self[low] == element)
    }

    /// Inserts `element` into an ascending array; returns false when it was already there.
    @discardableResult
    mutating func insertSorted(_ element: Element) -> Bool {
        let (index, found) = sortedIndex(of: element)
        guard !found else { return false }
        insert(element, at: index)
        return true
    }

    /// Removes `element` from an ascending array; returns false when it was not there.
    @discardableResult
    mutating func removeSorted(_ element: Element) -> Bool {
        let (index, found) = sortedIndex(of: element)
        guard found else { return false }
        remove(at: index)
        return true
    }

    /// Whether an ascending array holds `element`.
    func containsSorted(_ element: Element) -> Bool { sortedIndex(of: element).found }
}
