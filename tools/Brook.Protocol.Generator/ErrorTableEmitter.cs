using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Brook.Protocol.Generator;

/// <summary>Writes the ErrorCode enum and table from the error tables in FACTS.md §10.</summary>
internal static partial class ErrorTableEmitter
{
    [GeneratedRegex(@"^\|\s*(-?\d+)\s*\|\s*([A-Z0-9_]+)\s*\|\s*(yes)?\s*\|\s*$")]
    private static partial Regex ErrorRow();

    private static readonly HashSet<string> Acronyms = new(StringComparer.Ordinal) { "SASL", "ID", "ISR", "UUID", "TXN" };

    public sealed record Error(short Code, string Name, bool Retriable);

    public static List<Error> Parse(string factsMarkdown)
    {
        var errors = new List<Error>();
        bool inSection = false;
        foreach (var rawLine in factsMarkdown.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inSection = line.StartsWith("## 10.", StringComparison.Ordinal);
                continue;
            }
            var match = inSection ? ErrorRow().Match(line) : Match.Empty;
            if (match.Success)
            {
                errors.Add(new Error(short.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value, match.Groups[3].Success));
            }
        }
        if (errors.Count == 0)
        {
            throw new InvalidDataException("FACTS.md §10 has no error table rows");
        }
        errors.Sort((a, b) => a.Code.CompareTo(b.Code));
        for (int i = 1; i < errors.Count; i++)
        {
            if (errors[i].Code != errors[i - 1].Code + 1)
            {
                throw new InvalidDataException($"error codes are not contiguous at {errors[i].Code}");
            }
        }
        return errors;
    }

    public static string PascalName(string name)
    {
        var builder = new StringBuilder();
        foreach (var part in name.Split('_'))
        {
            builder.Append(part[0]).Append(part[1..].ToLowerInvariant());
        }
        return builder.ToString();
    }

    /// <summary>A short sentence from the name, e.g. "Unknown topic or partition".</summary>
    public static string Message(string name)
    {
        if (name == "NONE")
        {
            return "No error";
        }
        var words = name.Split('_').Select(w => Acronyms.Contains(w) ? w : w.ToLowerInvariant()).ToList();
        if (words[^1] == "exception")
        {
            words.RemoveAt(words.Count - 1);
        }
        string text = string.Join(' ', words);
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    public static string Emit(List<Error> errors)
    {
        var w = new CodeWriter();
        GeneratedHeader.Write(w);
        w.Line("namespace Brook.Protocol.Errors;");
        w.Line();
        w.Summary("Kafka error codes (FACTS.md §10), carried as int16 in responses.");
        w.Open("public enum ErrorCode : short");
        foreach (var error in errors)
        {
            w.Line($"{PascalName(error.Name)} = {error.Code},");
        }
        w.Close();
        w.Line();
        w.Summary("Name, retriability and a short message for every error code, in one table.");
        w.Open("public static partial class ErrorCodes");
        w.Line($"public const short Lowest = {errors[0].Code};");
        w.Line($"public const short Highest = {errors[^1].Code};");
        w.Line();
        w.Open("private static readonly ErrorCodeInfo[] Table =");
        foreach (var error in errors)
        {
            string retriable = error.Retriable ? "true" : "false";
            w.Line($"new(ErrorCode.{PascalName(error.Name)}, {CodeWriter.Literal(error.Name)}, {retriable}, {CodeWriter.Literal(Message(error.Name))}),");
        }
        w.Close(";");
        w.Close();
        return w.ToString();
    }
}
