// check names the previous domain in the hidden input `replacesDomain` when `domain` changes, so the
// policy pack's replacement rule can see what only the plan otherwise knows.
import { azureADKerberosServerProvider as p } from "../../../provider/resources/azure-ad-kerberos-server-impl";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("AzureADKerberosServer check: replacement marker", () => {
    test("a changed domain is marked with the old one; same domain (any spelling), create and unknown are not", async () => {
        expect((await p.check({ domain: "corp.example.com" }, { domain: "emea.example.com" })).inputs).toMatchObject({ replacesDomain: "corp.example.com" });
        expect((await p.check({ domain: "corp.example.com" }, { domain: "CORP.example.com." })).inputs).not.toHaveProperty("replacesDomain");
        expect((await p.check({}, { domain: "corp.example.com" })).inputs).not.toHaveProperty("replacesDomain");
        expect((await p.check({ domain: "corp.example.com" }, { domain: UNKNOWN })).inputs).not.toHaveProperty("replacesDomain");
    });
});
