using Hl7.Fhir.Model;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Fhir;

/// <summary>The patient, the doctors and the wearables.</summary>
internal static class PartyResources
{
    /// <summary>The patient: pseudonymous, identified by the on-chain identity; a name only if the input gives one.</summary>
    public static Patient Patient(ExportContext context, PatientIdentity patient)
    {
        var resource = new Patient
        {
            Id = ExportContext.IdOf(context.PatientUrl),
            Identifier = [Elements.Identifier(context.Naming.Identity, patient.IdentityId)],
        };
        if (!string.IsNullOrWhiteSpace(patient.DisplayName))
        {
            resource.Name = [new HumanName { Text = patient.DisplayName }];
        }

        return resource;
    }

    /// <summary>A doctor, identified by the on-chain identity only.</summary>
    public static Practitioner Practitioner(ExportContext context, string doctorId, string url) => new()
    {
        Id = ExportContext.IdOf(url),
        Identifier = [Elements.Identifier(context.Naming.Identity, doctorId)],
    };

    /// <summary>A wearable: its device id, a readable name, its sensors, and the patient who wears it.</summary>
    public static Device Device(ExportContext context, WearableDevice device, string url)
    {
        var name = ExportContext.DeviceName(device.DeviceId);
        var kinds = device.Kinds.Distinct().Order().ToList();
        return new Device
        {
            Id = ExportContext.IdOf(url),
            Identifier = [Elements.Identifier(context.Naming.Device, name)],
            DeviceName = [new Device.DeviceNameComponent { Name = "HealthBlock wearable " + name, Type = DeviceNameType.UserFriendlyName }],
            Type = new CodeableConcept { Text = "HealthBlock wearable: " + string.Join(", ", kinds.Select(Describe)) },
            Property = kinds.Count == 0 ? [] :
            [
                new Device.PropertyComponent
                {
                    Type = Elements.Concept(context.Naming.DeviceProperty, "sensor-kinds", "Sensor kinds"),
                    ValueCode = kinds.Select(k => Elements.Concept(context.Naming.SensorKind, SensorKinds.TopicName(k), Describe(k))).ToList(),
                },
            ],
            Patient = context.Patient(),
        };
    }

    private static string Describe(SensorKind kind) => kind switch
    {
        SensorKind.Ecg => "ECG lead I",
        SensorKind.BloodPressure => "blood pressure cuff",
        SensorKind.Temperature => "body thermometer",
        _ => throw new FhirExportException($"Sensor kind {(byte)kind} has no FHIR mapping."),
    };
}
