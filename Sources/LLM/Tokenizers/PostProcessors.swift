/// Adds the model's framing tokens (BOS/EOS, `[CLS]`/`[SEP]`) to an encoded sequence.
public protocol PostProcessor: Sendable {
    func process(_ ids: [Int]) -> [Int]
}

/// tokenizers' TemplateProcessing for single sequences: fixed ids around the sequence.
/// BertProcessing, RobertaProcessing and GGUF's add_bos/add_eos are all this shape.
struct TemplatePostProcessor: PostProcessor {
    var prefix: [Int]
    var suffix: [Int]

    func process(_ ids: [Int]) -> [Int] {
        prefix + ids + suffix
    }
}

/// Several post-processors, in order.
struct PostProcessorSequence: PostProcessor {
    var processors: [PostProcessor]
    func process(_ ids: [Int]) -> [Int] {
        processors.reduce(ids) { $1.process($0) }
    }
}
