/// Splits a normalized piece into words for the model.
public protocol PreTokenizer: Sendable {
    /// The words of `text`; `isFirst` says the piece starts the whole input (SentencePiece's
    /// "prepend only to the first piece").
    func preTokenize(_ text: String, isFirst: Bool) -> [String]
}

/// How a split keeps the delimiters it finds (tokenizers' `SplitDelimiterBehavior`).
enum SplitBehavior: String, Sendable {
    case removed = "Removed"
    case isolated = "Isolated"
    case mergedWithPrevious = "MergedWithPrevious"
    case mergedWithNext = "MergedWithNext"
    case contiguous = "Contiguous"
}

/// One splitting step over scalar ranges: a pattern, what to do with its matches, and `invert`.
struct SplitStep: Sendable {
    var pattern: TextPattern
    var behavior: SplitBehavior
    var invert = false

    func split(_ text: ClassifiedScalars, _ range: Range<Int>) -> [Range<Int>] {
        // Matches and the gaps between them, in order.
        var pieces = [(range: Range<Int>, isMatch: Bool)]()
        var position = range.lowerBound
        for match in pattern.matches(in: text, range: range) {
            if match.lowerBound > position { pieces.append((position..<match.lowerBound, invert)) }
            pieces.append((match, !invert))
            position = match.upperBound
        }
        if position < range.upperBound { pieces.append((position..<range.upperBound, invert)) }

        switch behavior {
        case .isolated:
            return pieces.map(\.range)
        case .removed:
            return pieces.filter { !$0.isMatch }.map(\.range)
        case .mergedWithPrevious:
            var result = [Range<Int>]()
            var previousMatch = false
            for piece in pieces {
                if piece.isMatch && !previousMatch, let last = result.last {
                    result[result.count - 1] = last.lowerBound..<piece.range.upperBound
                } else {
                    result.append(piece.range)
                }
                previousMatch = piece.isMatch
            }
            return result
        case .mergedWithNext:
            var result = [Range<Int>]()
            var nextMatch = false
            for piece in pieces.reversed() {
                if piece.isMatch && !nextMatch, let last = result.last {
                    result[result.count - 1] = piece.range.lowerBound..<last.upperBound
                } else {
                    result.append(piece.range)
                }
                nextMatch = piece.isMatch
            }
            return result.reversed()
        case .contiguous:
            var result = [Range<Int>]()
            var previousMatch = false
            for (k, piece) in pieces.enumerated() {
                if k > 0 && piece.isMatch == previousMatch, let last = result.last {
                    result[result.count - 1] = last.lowerBound..<piece.range.upperBound
                } else {
                    result.append(piece.range)
                }
                previousMatch = piece.isMatch
            }
            return result
        }
    }
}

/// Successive splitting steps done on one decoded buffer (Split, Digits, ByteLevel's regex,
/// Punctuation, WhitespaceSplit and BERT's pre-tokenizer are all of this kind; the factory
/// fuses neighbours in a Sequence into one of these).
struct SplittingPreTokenizer: PreTokenizer {
    var steps: [SplitStep]

    func preTokenize(_ text: String, isFirst: Bool) -> [String] {
        let scalars = ClassifiedScalars(text)
        return wordRanges(scalars).map { scalars.string($0) }
    }

    /// The non-empty scalar ranges of the words of `text`.
    func wordRanges(_ text: ClassifiedScalars) -> [Range<Int>] {
        var ranges = [0..<text.count]
        for step in steps {
            if ranges.count == 1 {
                ranges = step.split(text, ranges[0])
            } else {
                var next = [Range<Int>]()
                next.reserveCapacity(ranges.count * 2)
                for range in ranges { next.append(contentsOf: step.split(text, range)) }
                ranges = next
            }
        }
        return ranges.filter { !$0.isEmpty }
    }
}

/// Several pre-tokenizers, each applied to every piece the previous one produced.
struct PreTokenizerSequence: PreTokenizer {
    var preTokenizers: [PreTokenizer]

    func preTokenize(_ text: String, isFirst: Bool) -> [String] {
        var pieces = [text]
        for preTokenizer in preTokenizers {
            var next = [String]()
            for (k, piece) in pieces.enumerated() {
                next.append(contentsOf: preTokenizer.preTokenize(piece, isFirst: isFirst && k == 0))
            }
            pieces = next
        }
        return pieces
    }

    /// `preTokenizers` with neighbouring splitting steps fused.
    static func fused(_ preTokenizers: [PreTokenizer]) -> PreTokenizer {
        var result = [PreTokenizer]()
        for preTokenizer in preTokenizers {
            if let splitting = preTokenizer as? SplittingPreTokenizer,
               let previous = result.last as? SplittingPreTokenizer {
                result[result.count - 1] = SplittingPreTokenizer(steps: previous.steps + splitting.steps)
            } else {
                result.append(preTokenizer)
            }
        }
        return result.count == 1 ? result[0] : PreTokenizerSequence(preTokenizers: result)
    }
}

/// ByteLevel with `add_prefix_space`: a space before each piece that lacks one, then the
/// GPT-2 split. (Without the prefix it is a plain `SplittingPreTokenizer`; the byte mapping
/// itself happens in the byte-level BPE model.)
struct PrefixSpacePreTokenizer: PreTokenizer {
    var then: PreTokenizer

    func preTokenize(_ text: String, isFirst: Bool) -> [String] {
        then.preTokenize(text.hasScalarPrefix(" ") ? text : " " + text, isFirst: isFirst)
    }
}

/// SentencePiece's Metaspace: spaces become `▁`, a `▁` is prepended per `prependScheme`,
/// and with `split` the text is cut before each `▁`.
struct MetaspacePreTokenizer: PreTokenizer {
    enum PrependScheme: String, Sendable { case always, first, never }
    var replacement: Unicode.Scalar = "▁"
    var prependScheme: PrependScheme = .always
    var split = true

    func preTokenize(_ text: String, isFirst: Bool) -> [String] {
        var replaced = text.replacingScalars(" ", with: String(replacement))
        let prepend = prependScheme == .always || (prependScheme == .first && isFirst)
        if prepend && !replaced.hasScalarPrefix(String(replacement)) {
            replaced = String(replacement) + replaced
        }
        guard split else { return [replaced] }
        let step = SplitStep(pattern: LiteralPattern(String(replacement)), behavior: .mergedWithNext)
        return SplittingPreTokenizer(steps: [step]).preTokenize(replaced, isFirst: isFirst)
    }
}

/// Single-scalar patterns used by BERT-style splitting.
struct ScalarPredicatePattern: AnchoredPattern {
    var predicate: @Sendable (Unicode.Scalar) -> Bool

    func matchLength(in text: ClassifiedScalars, at i: Int, end: Int) -> Int {
        predicate(text.scalars[i]) ? 1 : 0
    }

    static let whitespace = ScalarPredicatePattern { BertNormalizer.isWhitespace($0) }
    static let punctuation = ScalarPredicatePattern { isPunctuation($0) }

    /// ASCII punctuation or any Unicode `P*` category (BERT's `is_bert_punc`).
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 128 {
            return (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v)
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }
}

extension SplittingPreTokenizer {
    /// BERT: drop whitespace, isolate each punctuation character.
    static let bert = SplittingPreTokenizer(steps: [
        SplitStep(pattern: ScalarPredicatePattern.whitespace, behavior: .removed),
        SplitStep(pattern: ScalarPredicatePattern.punctuation, behavior: .isolated),
    ])

    /// Split on whitespace, dropping it.
    static let whitespaceSplit = SplittingPreTokenizer(steps: [
        SplitStep(pattern: ScalarPredicatePattern.whitespace, behavior: .removed),
    ])

    /// GPT-2's regex, keeping everything (ByteLevel with `use_regex`).
    static let gpt2 = SplittingPreTokenizer(steps: [SplitStep(pattern: GPT2Pattern(), behavior: .isolated)])
}
