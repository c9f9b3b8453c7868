using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace HealthBlock.Fhir.Tests;

/// <summary>The export's bytes: the direct writer against the Firely serializer, determinism, the patient's pseudonymity.</summary>
public sealed class FhirExportTests
{
    private static readonly PatientDay Day = PatientDay.Create(new PatientDayShape
    {
        Seconds = 130, SecondsPerBatch = 7, BloodPressureEverySeconds = 50, TemperatureEverySeconds = 10, Diagnoses = 6, NoteEvery = 3, LeadOffEverySeconds = 45,
    });

    /// <summary>The whole bundle through the Firely serializer in one call (with the export's string escaping).</summary>
    private static byte[] Firely(Bundle bundle)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            new BaseFhirJsonSerializer(ModelInfo.ModelInspector).Serialize(bundle, writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static TheoryData<string> Cases => ["recording", "unusual", "empty"];

    private static FhirExportInput Case(string name) => name switch
    {
        "recording" => Day.Input,
        "unusual" => Inputs.Unusual(),
        _ => new FhirExportInput { Patient = new PatientIdentity(PatientDay.PatientId) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Write_gives_exactly_the_bytes_the_Firely_serializer_gives_for_the_built_bundle(string name)
    {
        var input = Case(name);

        var written = FhirExporter.ToUtf8Json(input);

        Assert.Equal(System.Text.Encoding.UTF8.GetString(Firely(FhirExporter.Build(input))), System.Text.Encoding.UTF8.GetString(written));
    }

    [Fact]
    public void The_same_data_gives_the_same_bytes_whatever_the_order_of_the_lists_and_the_parallelism()
    {
        var first = FhirExporter.ToUtf8Json(Day.Input);
        var shuffled = Day.Input with
        {
            Readings = Day.Input.Readings.Reverse().ToList(),
            Diagnoses = Day.Input.Diagnoses.Reverse().ToList(),
        };

        Assert.Equal(first, FhirExporter.ToUtf8Json(Day.Input));
        Assert.Equal(first, FhirExporter.ToUtf8Json(shuffled, new FhirExportOptions { MaxParallelism = 1 }));
        Assert.Equal(first, FhirExporter.ToUtf8Json(Day.Input, new FhirExportOptions { MaxParallelism = 3 }));
    }

    [Fact]
    public void Different_data_gives_a_different_bundle_id_and_resource_ids_are_unique()
    {
        var whole = new ParsedBundle(FhirExporter.ToUtf8Json(Day.Input)).Bundle;
        var part = new ParsedBundle(FhirExporter.ToUtf8Json(Day.Input with { Diagnoses = Day.Input.Diagnoses.Skip(1).ToList() })).Bundle;

        Assert.NotEqual(whole.Id, part.Id);
        Assert.Equal(whole.Entry.Count, whole.Entry.Select(e => e.FullUrl).Distinct().Count());
        Assert.All(whole.Entry, e => Assert.Equal("urn:uuid:" + e.Resource!.Id, e.FullUrl));
        Assert.Equal(Bundle.BundleType.Collection, whole.Type);
        Assert.Equal(Day.Input.Readings.Select(b => b.Origin).Concat(Day.Input.Diagnoses.Select(d => d.Origin)).Max(o => o.BlockTimeMs), whole.Timestamp!.Value.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void The_patient_is_the_on_chain_identity_and_has_a_name_only_when_one_is_given()
    {
        var anonymous = new ParsedBundle(FhirExporter.ToUtf8Json(Day.Input)).All<Patient>().Single();
        var named = new ParsedBundle(FhirExporter.ToUtf8Json(Inputs.Unusual())).All<Patient>().Single();

        Assert.Equal((new FhirNaming().Identity, PatientDay.PatientId), (anonymous.Identifier.Single().System, anonymous.Identifier.Single().Value));
        Assert.Empty(anonymous.Name);
        Assert.Equal("Zoë Ångström", named.Name.Single().Text);
    }

    [Fact]
    public void Devices_of_the_readings_are_added_to_the_listed_ones_with_the_kinds_they_sent()
    {
        var devices = new ParsedBundle(FhirExporter.ToUtf8Json(Inputs.Unusual())).All<Device>()
            .ToDictionary(d => d.Identifier.Single().Value!, d => d.Property.SelectMany(p => p.ValueCode).Select(c => c.Coding.Single().Code).ToList());

        Assert.Equal(["temp"], devices["0000000000000001"]);
        Assert.Equal(["ecg"], devices["00a1b2c3d4e5f601"]);
        Assert.Equal(["ecg", "bp", "temp"], devices["00ff00000000beef"]);
    }

    [Fact]
    public void A_naming_base_of_the_deployment_names_every_identifier_and_code_system()
    {
        var options = new FhirExportOptions { NamingBase = "https://fhir.hospital.test/healthblock" };
        var json = System.Text.Encoding.UTF8.GetString(FhirExporter.ToUtf8Json(Day.Input, options));

        Assert.Contains("https://fhir.hospital.test/healthblock/sid/identity", json, StringComparison.Ordinal);
        Assert.Contains("https://fhir.hospital.test/healthblock/sid/userchain-block", json, StringComparison.Ordinal);
        Assert.DoesNotContain(FhirNaming.DefaultBase, json, StringComparison.Ordinal);
    }
}
