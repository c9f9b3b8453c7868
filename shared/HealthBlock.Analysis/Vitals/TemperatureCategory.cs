using System.Globalization;
using System.Text.Json.Serialization;

namespace HealthBlock.Analysis;

/// <summary>Body-temperature categories. Serialised by name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TemperatureCategory>))]
public enum TemperatureCategory
{
    /// <summary>Below 35.0 °C.</summary>
    Hypothermia,

    /// <summary>35.0 °C up to (not including) 38.0 °C.</summary>
    Normal,

    /// <summary>38.0 °C or above.</summary>
    Fever,
}
