using Hl7.Fhir.Model;

namespace HealthBlock.Fhir;

/// <summary>Small FHIR data types built the same way everywhere.</summary>
internal static class Elements
{
    public static Coding Coding(string system, string code, string? display = null) => new(system, code, display);

    public static CodeableConcept Concept(string system, string code, string? display, string? text = null) =>
        new() { Coding = [Coding(system, code, display)], Text = text };

    public static Quantity Ucum(decimal value, string code, string? unit = null) =>
        new() { Value = value, Unit = unit ?? code, System = FhirCodes.Ucum, Code = code };

    public static Identifier Identifier(string system, string value) => new(system, value);

    public static Period Period(string start, string end) => new() { Start = start, End = end };

    public static CodeableConcept Category(string code, string display) => Concept(FhirCodes.ObservationCategory, code, display);

    public static CodeableConcept VitalSigns() => Category("vital-signs", "Vital Signs");

    public static Meta Profile(string profile) => new() { Profile = [profile] };

    /// <summary>A decimal without trailing zeros (FHIR keeps a decimal's precision as written: 4 stays 4, not 4.0).</summary>
    public static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;
}
