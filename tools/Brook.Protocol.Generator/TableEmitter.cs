namespace Brook.Protocol.Generator;

/// <summary>Writes the ApiKey enum and the per-API table with its factories.</summary>
internal static class TableEmitter
{
    public sealed record Api(short Key, string Name, MessageSpec Request, MessageSpec Response);

    public static List<Api> Pair(IEnumerable<MessageSpec> specs)
    {
        var requests = specs.Where(s => s.Type == "request").ToDictionary(s => s.ApiKey!.Value);
        var responses = specs.Where(s => s.Type == "response").ToDictionary(s => s.ApiKey!.Value);
        var apis = new List<Api>();
        foreach (var key in requests.Keys.Order())
        {
            if (!responses.TryGetValue(key, out var response))
            {
                throw new InvalidDataException($"API key {key} has a request spec but no response spec");
            }
            var request = requests[key];
            if (!request.ValidVersions.Equals(response.ValidVersions))
            {
                throw new InvalidDataException($"API key {key}: request and response versions differ");
            }
            apis.Add(new Api(key, MessageEmitter.ApiKeyName(request), request, response));
        }
        for (int i = 0; i < apis.Count; i++)
        {
            if (apis[i].Key != i)
            {
                throw new InvalidDataException($"API keys are not contiguous: expected {i}, found {apis[i].Key}");
            }
        }
        return apis;
    }

    public static string EmitApiKeyEnum(List<Api> apis)
    {
        var w = new CodeWriter();
        GeneratedHeader.Write(w);
        w.Line("namespace Brook.Protocol.Messages;");
        w.Line();
        w.Summary("Kafka API keys, named as in the specs.");
        w.Open("public enum ApiKey : short");
        foreach (var api in apis)
        {
            w.Line($"{api.Name} = {api.Key},");
        }
        w.Close();
        return w.ToString();
    }

    public static string EmitTable(List<Api> apis)
    {
        var w = new CodeWriter();
        GeneratedHeader.Write(w);
        w.Line("namespace Brook.Protocol.Messages;");
        w.Line();
        w.Summary("Every Kafka API this code knows, indexed by key, with factories for its request and response bodies.");
        w.Open("public static class ApiMessageTypes");
        w.Line($"public const int Count = {apis.Count};");
        w.Line();
        w.Open("private static readonly ApiMessageType[] ByKey =");
        foreach (var api in apis)
        {
            var flexibleRequest = api.Request.FlexibleVersions.IsEmpty ? -1 : api.Request.FlexibleVersions.Min;
            var flexibleResponse = api.Response.FlexibleVersions.IsEmpty ? -1 : api.Response.FlexibleVersions.Min;
            w.Line($"new(ApiKey.{api.Name}, {CodeWriter.Literal(api.Name)}, {api.Request.ValidVersions.Min}, {api.Request.ValidVersions.Max}, {flexibleRequest}, {flexibleResponse}),");
        }
        w.Close(";");
        w.Line();
        w.Line("public static IReadOnlyList<ApiMessageType> All => ByKey;");
        w.Line();
        w.Summary("The API with this key, or null for a key this code does not know.");
        w.Line("public static ApiMessageType? Find(short apiKey) => apiKey >= 0 && apiKey < ByKey.Length ? ByKey[apiKey] : null;");
        w.Line();
        w.Line("public static ApiMessageType Get(ApiKey key) => ByKey[(int)key];");
        w.Line();
        EmitFactory(w, apis, "CreateRequest", api => api.Request.Name);
        w.Line();
        EmitFactory(w, apis, "CreateResponse", api => api.Response.Name);
        w.Close();
        return w.ToString();
    }

    private static void EmitFactory(CodeWriter w, List<Api> apis, string method, Func<Api, string> className)
    {
        w.Open($"public static IApiMessage {method}(ApiKey key) => key switch");
        foreach (var api in apis)
        {
            w.Line($"ApiKey.{api.Name} => new {className(api)}(),");
        }
        w.Line("_ => throw new ArgumentOutOfRangeException(nameof(key), key, \"unknown API key\"),");
        w.Close(";");
    }
}
