/// How a statement finished.
enum Flow {
    case normal
    case breakLoop(String?)
    case continueLoop(String?)
    case returnValue(Value)
    case fallthroughCase
}

/// Unwinds an optional chain `a?.b` when a link is nil.
struct OptionalChainNil: Error {}
