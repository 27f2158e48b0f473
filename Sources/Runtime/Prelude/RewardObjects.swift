import GRPO

/// A reward as cells see it (`Reward`): a built-in or one written in a cell.
final class RewardObject: NativeObject, CustomStringConvertible {
    let reward: any RewardFunction

    init(_ reward: any RewardFunction) {
        self.reward = reward
    }

    var typeName: String { "Reward" }
    var description: String { Reward(reward).description }
}

/// `reward.check(…)`'s result (`RewardCheck`): a table of scores against expectations and the
/// property checks.
final class RewardCheckObject: NativeObject, CustomStringConvertible {
    let check: RewardCheck

    init(_ check: RewardCheck) {
        self.check = check
    }

    var typeName: String { "RewardCheck" }
    var description: String { check.text }
    func mimeBundle() -> MIMEBundle? { MIMEBundle(data: ["text/plain": check.text, "text/html": check.html]) }
}

/// `Reward.report(…)`'s result (`RewardReport`): every reward's score for every completion.
final class RewardReportObject: NativeObject, CustomStringConvertible {
    let report: RewardReport

    init(_ report: RewardReport) {
        self.report = report
    }

    var typeName: String { "RewardReport" }
    var description: String { report.text }
    func mimeBundle() -> MIMEBundle? { MIMEBundle(data: ["text/plain": report.text, "text/html": report.html]) }
}
