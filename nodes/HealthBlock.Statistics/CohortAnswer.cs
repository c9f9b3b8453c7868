namespace HealthBlock.Statistics;

/// <summary>What the statistics node answers for a cohort it decrypted.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Value">Its figure, or null when the cohort has no readings of it.</param>
/// <param name="Readings">The readings the figure rests on.</param>
/// <param name="Patients">Patients in the cohort.</param>
/// <param name="Contributions">Contributions (patient-periods) summed.</param>
/// <param name="K">The k the cohort was checked against.</param>
/// <param name="RecordTransaction">The decryption record's transaction id (hex), committed before the answer.</param>
public sealed record CohortAnswer(string Metric, double? Value, long Readings, int Patients, long Contributions, uint K, string RecordTransaction);
