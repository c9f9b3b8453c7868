using System.Diagnostics.Metrics;

namespace HealthBlock.Doctor;

/// <summary>
/// The doctor node's instruments (meter <see cref="MeterName"/>): diagnoses committed on Docchain and the IoT batches
/// they cover, and the time from the earliest reading to the diagnosis's commit.
/// </summary>
public static class DoctorMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "HealthBlock.Doctor";

    private static readonly Meter Meter = new(MeterName, "1.0");
    private static readonly Counter<long> Diagnoses = Meter.CreateCounter<long>("healthblock.doctor.diagnoses", "{diagnosis}", "Diagnoses committed on Docchain");
    private static readonly Counter<long> Covered = Meter.CreateCounter<long>("healthblock.doctor.diagnoses.covered_batches", "{batch}", "IoT batches covered by committed diagnoses");
    private static readonly Histogram<double> Latency = Meter.CreateHistogram<double>("healthblock.doctor.diagnosis.latency", "s", "From the earliest reading a diagnosis covers to its commit");

    /// <summary>A diagnosis committed.</summary>
    public static void DiagnosisCommitted(DiagnosisCommittedEventArgs diagnosis)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        Diagnoses.Add(1);
        Covered.Add(diagnosis.Covers.Count);
        Latency.Record(Math.Max(0, diagnosis.Latency.TotalSeconds));
    }
}
