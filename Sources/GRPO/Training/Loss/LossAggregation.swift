// TRL 1.16's aggregation of masked per-token losses into a micro-batch scalar, written as one
// weight per sequence: loss = Σ_b weight_b · Σ_t mask_bt · L_bt.
//
//   grpo, sapo          mean_b(Σ_t L·m / max(Σ_t m, 1)) / GA
//   bnpo                Σ L·m / max(Σ m, 1) / GA
//   dr_grpo             Σ L·m / (B · max_completion_length) / GA
//   dapo, cispo, vespo  Σ L·m / (max(N_items, 1) / P · GA / steps_per_generation)
//   luspo               mean_b(Σ_t L·m) / GA

extension GRPOLossType {
    /// The weight of each sequence's masked token sum, given its active-token counts.
    func sequenceWeights(activeCounts: [Int], batch: PolicyLossBatch, maxCompletionLength: Int) -> [Double] {
        let sequences = Double(activeCounts.count)
        let accumulation = Double(batch.gradientAccumulationSteps)
        switch self {
        case .grpo, .sapo:
            return activeCounts.map { 1 / (sequences * Double(max($0, 1)) * accumulation) }
        case .bnpo:
            let total = Double(max(activeCounts.reduce(0, +), 1))
            return Array(repeating: 1 / (total * accumulation), count: activeCounts.count)
        case .drGRPO:
            return Array(repeating: 1 / (sequences * Double(maxCompletionLength) * accumulation), count: activeCounts.count)
        case .dapo, .cispo, .vespo:
            let normaliser = max(batch.itemsInBatch, 1) / Double(batch.processCount)
                * accumulation / Double(batch.stepsPerGeneration)
            return Array(repeating: 1 / normaliser, count: activeCounts.count)
        case .luspo:
            return Array(repeating: 1 / (sequences * accumulation), count: activeCounts.count)
        }
    }
}
