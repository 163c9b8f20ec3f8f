package web

// inputSpec is one labelled text input of a form, with its value and its error.
type inputSpec struct {
	F                       field
	Name, Label, Hint, Type string
	Value, Auto             string
	Required                bool
}

// input builds an inputSpec for the templates: input errors name type label value [hint [autocomplete [required]]].
func input(errs formErrors, name, typ, label, value string, extra ...string) inputSpec {
	in := inputSpec{F: errs.Field(name), Name: name, Label: label, Type: typ, Value: value}
	if len(extra) > 0 {
		in.Hint = extra[0]
	}
	if len(extra) > 1 {
		in.Auto = extra[1]
	}
	if len(extra) > 2 {
		in.Required = extra[2] == "required"
	}
	return in
}
