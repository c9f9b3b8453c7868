namespace HealthBlock.Crypto;

/// <summary>What an envelope carries; bound into its AAD so one kind cannot be passed off as another.</summary>
public enum EnvelopePurpose : byte
{
    /// <summary>The patient's IoT key of one epoch.</summary>
    IotKey = 1,

    /// <summary>The diagnosis key one doctor encrypts diagnoses with.</summary>
    DiagnosisKey = 2,

    /// <summary>A key that protects the owner's own secrets at rest (sealed to the owner's own identity).</summary>
    LocalKey = 3,
}
