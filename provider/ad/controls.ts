// The AD LDAP controls this package sends (MS-ADTS 3.1.1.3.4.1). ldapts' base Control writes
// OID + criticality with no value, which is all these need.
import { Control } from "ldapts";

export const OID = {
    /** LDAP_SERVER_RODC_DCPROMO_OID: the DC picks msDS-SecondaryKrbTgtNumber, krbtgt_<N> and a random password */
    RODC_DCPROMO: "1.2.840.113556.1.4.1341",
    /** LDAP_SERVER_TREE_DELETE_OID: delete an object with its children */
    TREE_DELETE: "1.2.840.113556.1.4.805",
    /** LDAP_SERVER_EXTENDED_DN_OID: DN values come back as <GUID=hex>;<SID=hex>;dn */
    EXTENDED_DN: "1.2.840.113556.1.4.529",
} as const;

export const rodcDcpromoControl = () => new Control(OID.RODC_DCPROMO, { critical: true });
export const treeDeleteControl = () => new Control(OID.TREE_DELETE, { critical: true });
export const extendedDnControl = () => new Control(OID.EXTENDED_DN, { critical: true });
