using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HealthBlock.Analysis;

namespace HealthBlock.Doctor;

/// <summary>What the covered IoT batches held.</summary>
/// <param name="Total">Frames.</param>
/// <param name="Ecg">ECG frames.</param>
/// <param name="BloodPressure">Blood-pressure frames.</param>
/// <param name="Temperature">Temperature frames.</param>
/// <param name="LeadOff">ECG frames masked (lead-off or sensor fault).</param>
/// <param name="SensorFault">Blood-pressure or temperature frames skipped because the sensor flagged a fault.</param>
public sealed record FrameStatistics(int Total, int Ecg, int BloodPressure, int Temperature, int LeadOff, int SensorFault);
