using System.Globalization;
using System.Text.Json.Serialization;

namespace HealthBlock.Analysis;

/// <summary>Blood-pressure categories of the 2017 ACC/AHA guideline. Serialised by name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BloodPressureCategory>))]
public enum BloodPressureCategory
{
    /// <summary>Systolic &lt; 120 and diastolic &lt; 80 mmHg.</summary>
    Normal,

    /// <summary>Systolic 120-129 and diastolic &lt; 80 mmHg.</summary>
    Elevated,

    /// <summary>Systolic 130-139 or diastolic 80-89 mmHg.</summary>
    Stage1Hypertension,

    /// <summary>Systolic ≥ 140 or diastolic ≥ 90 mmHg.</summary>
    Stage2Hypertension,

    /// <summary>Systolic &gt; 180 and/or diastolic &gt; 120 mmHg.</summary>
    HypertensiveCrisis,
}
