import ArgumentParser
import Foundation
import GRPO

/// `swift-grpo grpo-loss`: TRL-format loss cases in, advantages, loss, gradient and metrics out.
struct GRPOLossCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpo-loss",
        abstract: "Compute GRPO advantages, loss, d loss/d logp and metrics for JSON lines {\"config\": {...}, \"inputs\": {...}} (TRL names).",
        discussion: """
        Each stdin line is one case in the format of grpo_loss.json: config (loss_type, beta, epsilon, \
        epsilon_high, delta, importance_sampling_level, scale_rewards, multi_objective_aggregation, \
        num_generations, max_completion_length, …) and inputs (rewards_per_func, reward_weights, \
        completion_mask, logp, old_logp, ref_logp; optional sampling_logp, entropies, num_items_in_batch). \
        Each reply line has rewards, advantages, num_items_in_batch, loss, grad_logp [B][T] and metrics.
        """)

    func run() throws {
        try JSONLines.forEachObject { record, line in
            do {
                try JSONLines.write(try TRLLossCase(json: record).evaluate().json)
            } catch let error as TRLLossCaseError {
                throw LineError(line: line, message: error.description)
            } catch let error as GRPOLossError {
                throw LineError(line: line, message: error.description)
            }
        }
    }
}

/// A case line the loss cannot use, with its line number.
private struct LineError: Error, CustomStringConvertible {
    let line: Int
    let message: String
    var description: String { "stdin line \(line): \(message)" }
}
